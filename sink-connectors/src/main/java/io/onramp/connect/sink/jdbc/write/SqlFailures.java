package io.onramp.connect.sink.jdbc.write;

import java.sql.SQLException;
import java.util.Map;

/**
 * Describes a failed statement by its SQLSTATE, without the server's text. (Which failures are transient is the
 * core dialect's {@code isRetriable}.) Database messages often quote the offending value (a duplicate
 * key, an unparsable literal), and record values must never reach logs or exception texts.
 */
public final class SqlFailures {

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

    private SqlFailures() {
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
