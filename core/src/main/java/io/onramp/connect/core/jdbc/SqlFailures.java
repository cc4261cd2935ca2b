package io.onramp.connect.core.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.Set;

/**
 * Describes a failed statement by its SQLSTATE, without the server's text. (Which failures are transient is the
 * core dialect's {@code isRetriable}.) Database messages often quote the offending value (a duplicate
 * key, an unparsable literal), and record values must never reach logs or exception texts.
 */
public final class SqlFailures {

    private static final Map<String, String> CLASSES = Map.ofEntries(
            Map.entry("08", "connection exception"),
            Map.entry("0A", "feature not supported"),
            Map.entry("22", "data exception"),
            Map.entry("23", "integrity constraint violation"),
            Map.entry("28", "invalid authorization"),
            Map.entry("3D", "invalid catalog name"),
            Map.entry("3F", "invalid schema name"),
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

    /**
     * SQLSTATE classes whose server texts name connections, logins and schema objects, never row values: 08
     * connection, 28 authorization, 3D catalog, 3F schema, 42 syntax or access rule, 53 resources, 57 operator.
     * Every other class (22 data, 23 integrity, HY vendor-specific...) may quote the value that failed.
     */
    private static final Set<String> TEXT_WITHOUT_VALUES = Set.of("08", "28", "3D", "3F", "42", "53", "57");

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

    /** Whether the server's text of this failure is known to name only objects (tables, columns, hosts), never values. */
    public static boolean textHoldsNoValues(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.length() >= 2 && TEXT_WITHOUT_VALUES.contains(state.substring(0, 2));
    }

    /**
     * A stand-in for {@code e} to attach as a cause: {@code message} instead of the server's text, the same
     * SQLSTATE, vendor code, stack trace and transient-or-not class, and none of its causes or next exceptions
     * (Connect prints the whole cause chain in the task's status trace).
     */
    public static SQLException withMessage(SQLException e, String message) {
        SQLException copy = e instanceof SQLTransientException || e instanceof SQLRecoverableException
                ? new SQLTransientConnectionException(message, e.getSQLState(), e.getErrorCode())
                : new SQLException(message, e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
