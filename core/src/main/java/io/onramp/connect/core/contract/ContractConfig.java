package io.onramp.connect.core.contract;

import io.onramp.connect.core.config.KeyedConfigException;
import java.nio.file.Files;
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
                .define(FILE, Type.STRING, null, contractFileValidator(), Importance.HIGH,
                        "A single contract file (.avsc) to use instead of " + DIR + "; no compatibility check"
                                + " is made. Its version comes from the onramp.version property or a v<N>.avsc name.",
                        GROUP, ++order, Width.LONG, "Contract file");
    }

    /**
     * Validates {@value #FILE} alone: a readable file that parses as a contract (an Avro record schema with
     * valid Onramp properties), so a typo or a broken contract shows at validate time.
     */
    public static ConfigDef.Validator contractFileValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null || value.toString().isBlank()) {
                    return;
                }
                Path file = Path.of(value.toString());
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new ConfigException(name, value, "'" + name + "' must name a readable contract file (.avsc) on every worker.");
                }
                try {
                    Contract.load(file);
                } catch (ContractException e) {
                    throw new ConfigException(name, value, "'" + name + "' is not a usable contract: " + e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "a readable contract file (.avsc)";
            }
        };
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
            throw new KeyedConfigException(FILE, "Set either " + FILE + " or " + DIR + ", not both.");
        }
        try {
            if (file != null) {
                return Contract.load(Path.of(file));
            }
            if (dir == null) {
                throw new KeyedConfigException(DIR, "No contract is configured: set " + DIR + " (with " + DOMAIN + " and "
                        + PRODUCT + ") or " + FILE + ".");
            }
            return version(directory(config), config, config.getInt(VERSION));
        } catch (ContractException e) {
            throw new KeyedConfigException(file != null ? FILE : DIR, e.getMessage());
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
            dir.versions(domain, product); // throws when the product is missing: reported on contract.product
        } catch (NoSuchElementException e) {
            throw new KeyedConfigException(PRODUCT, e.getMessage());
        }
        try {
            return version == 0 ? dir.latest(domain, product) : dir.version(domain, product, version);
        } catch (NoSuchElementException e) {
            throw new KeyedConfigException(VERSION, e.getMessage());
        }
    }

    private static String required(AbstractConfig config, String key) {
        String v = config.getString(key);
        if (v == null || v.isBlank()) {
            throw new KeyedConfigException(key, key + " must be set when " + DIR + " is used.");
        }
        return v;
    }
}
