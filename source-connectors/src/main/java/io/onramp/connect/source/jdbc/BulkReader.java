package io.onramp.connect.source.jdbc;

import java.sql.Connection;
import java.util.List;

/** Mode {@code bulk}: the whole table or query every poll interval. Records carry no offset (nothing to resume). */
final class BulkReader extends TableReader {

    BulkReader(ReadTarget target, ReaderContext ctx) {
        super(target, ctx);
    }

    @Override
    protected List<QueryPlan> plan(Connection c) {
        return List.of(new QueryPlan("SELECT * FROM " + target.from(dialect), List.of(),
                (rs, converter) -> record(converter, rs, null)));
    }
}
