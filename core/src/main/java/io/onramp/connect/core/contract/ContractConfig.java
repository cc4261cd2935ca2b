package io.onramp.connect.core.contract;

import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The config keys every contract-driven plugin shares, so that the same key means the same thing
 * everywhere: either {@value #DIR} with {@value #DOMAIN}, {@value #PRODUCT} and optionally
 * {@value #VERSION}, or a single {@value #FILE}.
 */
public final class ContractConfig {

    public static final String GROUP = "Contract";
    public static final String DIR = "contract.dir";
    public static final String DOMAIN = "contract.domain";
    public static final String PRODUCT = "contract.product";
    public static final String VERSION = "contract.version";
    public static final String FILE = "contract.file";

    private ContractConfig() {
    }

    /** Adds the contract keys to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
                .define(DIR, Type.STRING, null, new CompatibleContractsValidator(), Importance.HIGH,
                        "Root of the contract directory, laid out <domain>/<product>/v<N>.avsc. Read once at"
                                + " configure time; every product in it must satisfy the compatibility mode its newest"
                                + " version declares (onramp.compatibility), otherwise the config is rejected.",
                        GROUP, ++order, Width.LONG, "Contract directory")
                .define(DOMAIN, Type.STRING, null, Importance.HIGH,
                        "The product's domain: the <domain> directory under " + DIR + ".",
                        GROUP, ++order, Width.MEDIUM, "Domain")
                .define(PRODUCT, Type.STRING, null, Importance.HIGH,
                        "The product's name: the <product> directory under " + DIR + "/<domain>.",
                        GROUP, ++order, Width.MEDIUM, "Product")
                .define(VERSION, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        "The contract version to use (the N of v<N>.avsc); 0 means the newest version.",
                        GROUP, ++order, Width.SHORT, "Contract version")
                .define(FILE, Type.STRING, null, Importance.HIGH,
                        "A single contract file (.avsc) to use instead of " + DIR + "; no compatibility check"
                                + " is made. Its version comes from the onramp.version property or a v<N>.avsc name.",
                        GROUP, ++order, Width.LONG, "Contract file");
    }

    /** Whether any contract key is set. */
    public static boolean isSet(AbstractConfig config) {
        return config.getString(DIR) != null || config.getString(FILE) != null;
    }

    /** Loads the configured contract, or throws a {@link ConfigException} naming the key at fault. */
    public static Contract load(AbstractConfig config) {
        String file = config.getString(FILE);
        String dir = config.getString(DIR);
        if (file != null && dir != null) {
            throw new ConfigException("Set either " + FILE + " or " + DIR + ", not both.");
        }
        try {
            if (file != null) {
                return Contract.load(Path.of(file));
            }
            if (dir == null) {
                throw new ConfigException("No contract is configured: set " + DIR + " (with " + DOMAIN + " and "
                        + PRODUCT + ") or " + FILE + ".");
            }
            return version(directory(config), config, config.getInt(VERSION));
        } catch (ContractException | NoSuchElementException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Loads {@value #DIR}; the caller has checked it is set. */
    public static ContractDirectory directory(AbstractConfig config) {
        try {
            return ContractDirectory.load(Path.of(config.getString(DIR)));
        } catch (ContractException e) {
            throw new ConfigException(DIR, config.getString(DIR), e.getMessage());
        }
    }

    /** Version {@code version} (0 = newest) of the configured product in {@code dir}. */
    public static Contract version(ContractDirectory dir, AbstractConfig config, int version) {
        String domain = required(config, DOMAIN);
        String product = required(config, PRODUCT);
        try {
            return version == 0 ? dir.latest(domain, product) : dir.version(domain, product, version);
        } catch (NoSuchElementException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String required(AbstractConfig config, String key) {
        String v = config.getString(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key + " must be set when " + DIR + " is used.");
        }
        return v;
    }
}
