package io.onramp.connect.sink.jdbc.write;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;

/**
 * Reads SQL errors without their text: which are transient (retry the batch), which mean a missing table, and a
 * description by SQLSTATE that names no value. Database messages often quote the offending value (a duplicate
 * key, an unparsable literal), and record values must never reach logs or exception texts.
 */
public final class SqlErrors {

    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("08", "connection exception"),
            Map.entry("22", "data exception"),
            Map.entry("23", "integrity constraint violation"),
            Map.entry("40", "transaction rollback"),
            Map.entry("42", "syntax error or access rule violation"),
            Map.entry("53", "insufficient resources"),
            Map.entry("57", "operator intervention"),
            Map.entry("HY", "driver or server error"));

    private static final Map<String, String> STATES = Map.ofEntries(
            Map.entry("22001", "value too long for the column"),
            Map.entry("22003", "numeric value out of range"),
            Map.entry("22007", "invalid date or time value"),
            Map.entry("22008", "date or time field overflow"),
            Map.entry("22P02", "invalid text representation"),
            Map.entry("22004", "null value not allowed"),
            Map.entry("23502", "null value in a NOT NULL column"),
            Map.entry("23503", "foreign key violation"),
            Map.entry("23505", "unique or primary key violation"),
            Map.entry("23514", "check constraint violation"),
            Map.entry("40001", "serialization failure"),
            Map.entry("40P01", "deadlock detected"),
            Map.entry("42P01", "undefined table"),
            Map.entry("42703", "undefined column"),
            Map.entry("42804", "datatype mismatch"),
            Map.entry("57P01", "server shutting down the connection"));

    private SqlErrors() {
    }

    /** Connection lost, deadlock, serialization failure, lock timeout, server restarting: worth retrying the batch. */
    public static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                int code = sql.getErrorCode();
                if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                        || state.startsWith("57P") || state.equals("53300") || state.equals("55P03"))) {
                    return true;
                }
                if (code == 1213 || code == 1205 || code == 2006 || code == 2013 || code == 1927) {
                    return true; // MariaDB: deadlock, lock wait timeout, server gone, lost connection, killed
                }
            }
            for (SQLException next = t instanceof SQLException s ? s.getNextException() : null; next != null;
                 next = next.getNextException()) {
                if (next != t && isTransientState(next)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isTransientState(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.startsWith("57P"));
    }

    static boolean isMissingTable(SQLException e) {
        String state = e.getSQLState();
        return "42P01".equals(state) || "42S02".equals(state) || e.getErrorCode() == 1146;
    }

    /** "SQLSTATE 22001 (value too long for the column)": the cause of a failure without the server's text. */
    public static String describe(SQLException e) {
        SQLException root = e;
        if (e.getNextException() != null && e.getSQLState() == null) {
            root = e.getNextException();
        }
        String state = root.getSQLState();
        if (state == null) {
            return "a " + root.getClass().getSimpleName() + " without SQLSTATE (vendor code " + root.getErrorCode() + ")";
        }
        String what = STATES.get(state);
        if (what == null) {
            what = CLASSES.getOrDefault(state.length() >= 2 ? state.substring(0, 2) : state, "database error");
        }
        return "SQLSTATE " + state + " (" + what + (root.getErrorCode() != 0 ? ", vendor code " + root.getErrorCode() : "") + ")";
    }
}
