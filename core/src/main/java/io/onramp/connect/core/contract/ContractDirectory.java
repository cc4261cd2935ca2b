package io.onramp.connect.core.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The contracts of a directory laid out {@code <dir>/<domain>/<product>/v<N>.avsc}, each product's
 * versions ordered by N. Files not named {@code v<N>.avsc} are ignored, so a README may sit beside them.
 * Everything is read when the directory is loaded; lookups never touch the file system.
 */
public final class ContractDirectory {

    private final Path root;
    private final Map<String, List<Contract>> byProduct;

    private ContractDirectory(Path root, Map<String, List<Contract>> byProduct) {
        this.root = root;
        this.byProduct = byProduct;
    }

    public static ContractDirectory load(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ContractException("Contract directory " + root + " does not exist or is not a directory.");
        }
        var byProduct = new TreeMap<String, List<Contract>>();
        try (Stream<Path> domains = Files.list(root)) {
            for (Path domainDir : domains.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> products = Files.list(domainDir)) {
                    for (Path productDir : products.filter(Files::isDirectory).sorted().toList()) {
                        List<Contract> versions = loadProduct(productDir, domainDir.getFileName().toString(),
                                productDir.getFileName().toString());
                        if (!versions.isEmpty()) {
                            byProduct.put(versions.get(0).productId(), versions);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ContractException("Cannot list contract directory " + root + ": " + e.getMessage(), e);
        }
        return new ContractDirectory(root, byProduct);
    }

    private static List<Contract> loadProduct(Path dir, String domain, String product) throws IOException {
        var versions = new ArrayList<Contract>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> Contract.versionFromFileName(f) > 0).toList()) {
                Contract c = Contract.load(file, domain, product);
                if (!c.domain().equals(domain) || !c.product().equals(product)) {
                    throw new ContractException("Contract " + file + " declares product " + c.productId()
                            + " but lies in the directory of " + domain + "." + product + ".");
                }
                if (c.version() != Contract.versionFromFileName(file)) {
                    throw new ContractException("Contract " + file + " declares '" + Contract.VERSION + "' "
                            + c.version() + ", which differs from its file name.");
                }
                versions.add(c);
            }
        }
        versions.sort(Comparator.comparingInt(Contract::version));
        return List.copyOf(versions);
    }

    public Path root() {
        return root;
    }

    /** The product ids ({@code <domain>.<product>}) found, sorted. */
    public List<String> products() {
        return List.copyOf(byProduct.keySet());
    }

    /** The versions of a product, oldest first. */
    public List<Contract> versions(String domain, String product) {
        List<Contract> versions = byProduct.get(domain + "." + product);
        if (versions == null) {
            throw new NoSuchElementException("Contract directory " + root + " has no product " + domain + "."
                    + product + " (expected " + root.resolve(domain).resolve(product).resolve("v1.avsc") + ").");
        }
        return versions;
    }

    public Contract latest(String domain, String product) {
        List<Contract> versions = versions(domain, product);
        return versions.get(versions.size() - 1);
    }

    public Contract version(String domain, String product, int version) {
        return versions(domain, product).stream().filter(c -> c.version() == version).findFirst()
                .orElseThrow(() -> new NoSuchElementException("Product " + domain + "." + product + " has no version "
                        + version + " in " + root + "."));
    }

    /**
     * Checks every product's versions with the compatibility mode its newest version declares.
     * @return the problems found; empty when everything is compatible
     */
    public List<CompatibilityProblem> checkCompatibility() {
        var problems = new ArrayList<CompatibilityProblem>();
        for (List<Contract> versions : byProduct.values()) {
            Contract newest = versions.get(versions.size() - 1);
            problems.addAll(CompatibilityChecker.check(versions, newest.compatibility()));
        }
        return problems;
    }
}
