package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.ColumnDescriptor;
import java.util.List;

/**
 * A reader of an incremental mode: finds its incrementing and timestamp columns by name in the columns of every
 * result it reads, not once per task, since its queries are {@code SELECT *} and a column added or dropped while
 * the task runs moves them.
 */
abstract class IncrementalReader extends TableReader {

    protected final IncrementalColumns columns;
    protected Object lastTs;  // the timestamp of the last record's row, in the column's type
    private String storedTs;  // the offset's ts text, decoded once the column's type is known

    IncrementalReader(ReadTarget target, ReaderContext ctx) {
        super(target, ctx);
        this.columns = new IncrementalColumns(ctx.config(), dialect);
    }

    /** The {@code ts} of the offset the reader resumes from (null: none). */
    protected final void resumeTimestamp(String encoded) {
        storedTs = encoded;
    }

    @Override
    protected final void prepare(List<ColumnDescriptor> described) {
        resultColumns(described);
        if (storedTs != null) {
            lastTs = columns.timestampValues.decode(storedTs);
            storedTs = null;
        }
    }

    @Override
    protected final void resultColumns(List<ColumnDescriptor> result) {
        columns.resolve(result, target, dialect, ctx.config().dbTimeZone());
    }
}
