package io.onramp.connect.sink.jdbc.write;

import io.onramp.connect.sink.jdbc.mapping.RowChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes row changes inside the caller's transaction, in record order: runs of consecutive changes with the same
 * shape share one prepared statement and go to the server as JDBC batches of at most {@code batchSize} rows.
 * {@link #writeEach} is the slow path after a batch failed: every change alone under a savepoint, so that the
 * failing ones are found and the rest still commit.
 */
public final class BatchWriter {

    private final SinkDialect dialect;
    private final int batchSize;
    private final Map<RowChange.Shape, String> sql = new HashMap<>();

    public BatchWriter(SinkDialect dialect, int batchSize) {
        this.dialect = dialect;
        this.batchSize = batchSize;
    }

    /** Writes every change; the first failure aborts with its exception (the caller rolls back). */
    public void writeAll(Connection connection, List<RowChange> changes) throws SQLException {
        int start = 0;
        while (start < changes.size()) {
            RowChange.Shape shape = changes.get(start).shape();
            int end = start + 1;
            while (end < changes.size() && changes.get(end).shape().equals(shape)) {
                end++;
            }
            writeRun(connection, shape, changes.subList(start, end));
            start = end;
        }
    }

    private void writeRun(Connection connection, RowChange.Shape shape, List<RowChange> run) throws SQLException {
        if (skips(shape)) {
            return;
        }
        if (shape.kind() == RowChange.Kind.UPSERT && !dialect.nativeUpsert()) {
            for (RowChange change : run) {
                writeOne(connection, change);
            }
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(statement(shape))) {
            int pending = 0;
            for (RowChange change : run) {
                dialect.bind(statement, change);
                statement.addBatch();
                if (++pending == batchSize) {
                    statement.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        }
    }

    /**
     * Writes each change alone, each under its own savepoint, and returns the changes that failed with their
     * errors, by index. A transient error (connection lost...) is thrown instead: the whole batch is then retried.
     */
    public Map<Integer, SQLException> writeEach(Connection connection, List<RowChange> changes) throws SQLException {
        var failures = new LinkedHashMap<Integer, SQLException>();
        for (int i = 0; i < changes.size(); i++) {
            RowChange change = changes.get(i);
            if (skips(change.shape())) {
                continue;
            }
            Savepoint savepoint = connection.setSavepoint();
            try {
                writeOne(connection, change);
                connection.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                if (dialect.isRetriable(e)) {
                    throw e;
                }
                connection.rollback(savepoint);
                failures.put(i, e);
            }
        }
        return failures;
    }

    private void writeOne(Connection connection, RowChange change) throws SQLException {
        RowChange.Shape shape = change.shape();
        if (shape.kind() == RowChange.Kind.UPSERT && !dialect.nativeUpsert()) {
            upsertByUpdateThenInsert(connection, change, shape);
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(statement(shape))) {
            dialect.bind(statement, change);
            statement.executeUpdate();
        }
    }

    private void upsertByUpdateThenInsert(Connection connection, RowChange change, RowChange.Shape shape)
            throws SQLException {
        RowChange.Shape insert = new RowChange.Shape(shape.table(), RowChange.Kind.INSERT, shape.keyColumns(), shape.valueColumns());
        if (shape.valueColumns().isEmpty()) {
            String exists = "SELECT 1 FROM " + dialect.table(shape.table()) + " WHERE " + dialect.where(shape.keyColumns());
            try (PreparedStatement statement = connection.prepareStatement(exists)) {
                for (int i = 0; i < change.keyValues().length; i++) {
                    dialect.bindValue(statement, i + 1, change.keyColumns().get(i), change.keyValues()[i]);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
        } else {
            try (PreparedStatement statement = connection.prepareStatement(dialect.update(shape))) {
                dialect.bindUpdate(statement, change);
                if (statement.executeUpdate() > 0) {
                    return;
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(statement(insert))) {
            dialect.bind(statement, change);
            statement.executeUpdate();
        }
    }

    /** An update with no value columns changes nothing. */
    private static boolean skips(RowChange.Shape shape) {
        return shape.kind() == RowChange.Kind.UPDATE && shape.valueColumns().isEmpty();
    }

    private String statement(RowChange.Shape shape) {
        return sql.computeIfAbsent(shape, dialect::statement);
    }
}
