package io.onramp.connect.core.diff;

import io.onramp.connect.core.sort.Row;
import java.util.List;
import java.util.Objects;

/**
 * One change found by {@link SnapshotDiff}. {@code before} is in the old snapshot's layout,
 * {@code after} in the new one's ({@link SnapshotDiff#oldLayout()}, {@link SnapshotDiff#newLayout()});
 * the connector maps them to the Debezium-style envelope of DESIGN.md section 3.
 *
 * @param key the key values in key column order (from the new row, or the old one for a delete)
 */
public record ChangeEvent(Op op, List<String> key, Row before, Row after) {

    /** The operations, with the one-letter codes of the Debezium envelope. */
    public enum Op {
        /** A row of the first snapshot, when the diff was asked to emit reads for it. */
        READ("r"),
        INSERT("c"),
        UPDATE("u"),
        DELETE("d");

        private final String code;

        Op(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public ChangeEvent {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        if ((before == null) != (op == Op.INSERT || op == Op.READ) || (after == null) != (op == Op.DELETE)) {
            // the rows are record data: the message says only which of them are there
            String rule = switch (op) {
                case INSERT, READ -> "an after row and no before row";
                case UPDATE -> "a before and an after row";
                case DELETE -> "a before row and no after row";
            };
            throw new IllegalArgumentException(op + " event needs " + rule + "; it has " + (before == null ? "no" : "a")
                    + " before row and " + (after == null ? "no" : "an") + " after row");
        }
    }
}
