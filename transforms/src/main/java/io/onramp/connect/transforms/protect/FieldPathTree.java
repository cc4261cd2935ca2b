package io.onramp.connect.transforms.protect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protected field paths as a tree. A path is field names joined by dots ({@code customer.email});
 * arrays are traversed transparently, so {@code items.sku} reaches the {@code sku} of every element of
 * the array {@code items}; the segment {@code *} stands for every value of a map ({@code attrs.*}).
 * In schemaless records nested maps are addressed like structs ({@code customer.email}).
 */
final class FieldPathTree {

    static final String ANY_VALUE = "*";

    /** One step of the tree: the mode to apply here (a leaf) or the children to descend into. */
    static final class Node {
        private final Map<String, Node> children = new LinkedHashMap<>();
        private ProtectMode mode;
        private String path;

        ProtectMode mode() {
            return mode;
        }

        String path() {
            return path;
        }

        Node child(String name) {
            return children.get(name);
        }

        Map<String, Node> children() {
            return children;
        }
    }

    private final Node root = new Node();

    Node root() {
        return root;
    }

    boolean isEmpty() {
        return root.children.isEmpty();
    }

    /**
     * Adds {@code path} with {@code mode}. A path already present keeps its mode when {@code override}
     * is false (explicit fields win over contract-derived ones).
     * @throws IllegalArgumentException when the path is malformed or one path lies inside another
     */
    void add(String path, ProtectMode mode, boolean override) {
        String[] segments = path.split("\\.", -1);
        Node node = root;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i].trim();
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("Field path '" + path + "' has an empty segment.");
            }
            if (node.mode != null) {
                throw new IllegalArgumentException("Field path '" + path + "' lies inside '" + node.path
                        + "', which is already protected as a whole.");
            }
            node = node.children.computeIfAbsent(segment, s -> new Node());
        }
        if (!node.children.isEmpty()) {
            throw new IllegalArgumentException("Field path '" + path + "' contains other protected paths; protect its"
                    + " fields one by one instead.");
        }
        if (node.mode == null || override) {
            node.mode = mode;
            node.path = path;
        }
    }
}
