package io.onramp.connect.core.sort;

import java.util.Arrays;

/**
 * A key that cuts sorted rows in two: those whose key sorts before it (the lower half) and the rest. The key is
 * one record's, in {@link RowCodec} form, possibly of another layout than the rows it cuts (the snapshot before,
 * whose columns may differ): rows and boundary are compared by the key columns each layout names.
 */
public final class KeyBoundary {

    private final RowKey rowsKey;
    private final RowKey boundaryKey;
    private final byte[] record;
    private final RowCodec.Fields fields = new RowCodec.Fields();

    /**
     * @param rowsKey the key of the rows to cut
     * @param boundaryKey the same key columns, in the layout of {@code record}
     * @param record the boundary record, copied
     */
    public KeyBoundary(RowKey rowsKey, RowKey boundaryKey, byte[] record, int offset, int length) {
        this.rowsKey = rowsKey;
        this.boundaryKey = boundaryKey;
        this.record = Arrays.copyOfRange(record, offset, offset + length);
        this.fields.scan(this.record, 0, this.record.length);
    }

    /** Whether the row's key sorts before the boundary's. Safe on several threads: nothing changes after construction. */
    public boolean before(byte[] row, RowCodec.Fields rowFields) {
        return rowsKey.compareEncoded(row, rowFields, boundaryKey, record, fields) < 0;
    }
}
