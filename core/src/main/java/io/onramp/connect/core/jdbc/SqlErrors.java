package io.onramp.connect.core.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** SQLState-based classification of JDBC failures, shared by the dialects. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * Transient by the standard: SQLState class 08 (connection exception), 40001 (serialization failure), 40P01
     * (PostgreSQL deadlock), 57P01..57P03 (PostgreSQL shutting down / starting up), 53300 (too many connections),
     * {@link SQLTransientException} and {@link SQLRecoverableException}; plus whatever {@code vendor} accepts.
     */
    public static boolean isRetriable(SQLException e, Predicate<SQLException> vendor) {
        for (SQLException each : chain(e)) {
            String state = each.getSQLState();
            if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                    || state.startsWith("57P0") || state.equals("53300"))) {
                return true;
            }
            if (each instanceof SQLTransientException || each instanceof SQLRecoverableException || vendor.test(each)) {
                // SQLTransientException includes timeouts; a query timeout is retried like a lost connection
                return true;
            }
        }
        return false;
    }

    /** Whether any exception in the chain has an SQLState starting with {@code prefix}. */
    public static boolean hasState(SQLException e, String prefix) {
        for (SQLException each : chain(e)) {
            if (each.getSQLState() != null && each.getSQLState().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any exception in the chain has this vendor error code. */
    public static boolean hasErrorCode(SQLException e, int... codes) {
        for (SQLException each : chain(e)) {
            for (int code : codes) {
                if (each.getErrorCode() == code) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The exception, its SQLException causes and its chained next-exceptions, each once. */
    static Iterable<SQLException> chain(SQLException e) {
        Map<SQLException, Boolean> seen = new IdentityHashMap<>();
        java.util.ArrayDeque<SQLException> todo = new java.util.ArrayDeque<>();
        java.util.List<SQLException> out = new java.util.ArrayList<>();
        todo.add(e);
        while (!todo.isEmpty() && out.size() < 20) {
            SQLException next = todo.poll();
            if (seen.put(next, Boolean.TRUE) != null) {
                continue;
            }
            out.add(next);
            if (next.getNextException() != null) {
                todo.add(next.getNextException());
            }
            if (next.getCause() instanceof SQLException cause) {
                todo.add(cause);
            }
        }
        return out;
    }
}
