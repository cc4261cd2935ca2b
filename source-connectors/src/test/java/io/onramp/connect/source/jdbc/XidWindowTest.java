package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.source.outbox.OutboxDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * The window's SQL, evaluated by PostgreSQL itself on hand-computed transaction ids (the tuple's {@code xmin} column
 * replaced by a bound value), not by a Java copy of the formula.
 */
class XidWindowTest {

    private static final long EPOCH = 1L << 32;

    @Test
    void distanceIsSignedAcrossTheWraparound() throws Exception {
        long bound = 5 * EPOCH + 10; // epoch 5, xid 10
        assertThat(distance(9, bound)).isEqualTo(-1);
        assertThat(distance(10, bound)).isZero();
        assertThat(distance(12, bound)).isEqualTo(2);
        assertThat(distance(4294967295L, bound)).as("xid 2^32-1 of epoch 4").isEqualTo(-11);
        long nearTop = 5 * EPOCH + 4294967290L;
        assertThat(distance(3, nearTop)).as("xid 3 of epoch 6").isEqualTo(9);
    }

    @Test
    void windowSelectsExactlyTheTransactionsFromInclusiveToExclusive() throws Exception {
        long to = 7 * EPOCH + 5; // the horizon just passed the wraparound
        long from = to - 20;     // xid 2^32-15 of epoch 6
        assertThat(inWindow(XidWindow.low32(from), from, to)).as("from itself").isTrue();
        assertThat(inWindow(XidWindow.low32(from - 1), from, to)).as("just below from").isFalse();
        assertThat(inWindow(4294967295L, from, to)).as("last xid of epoch 6").isTrue();
        assertThat(inWindow(0, from, to)).as("first xid of epoch 7").isTrue();
        assertThat(inWindow(4, from, to)).as("just below to").isTrue();
        assertThat(inWindow(5, from, to)).as("to itself: may still be running").isFalse();
    }

    @Test
    void low32KeepsTheTupleVisiblePart() {
        assertThat(XidWindow.low32((7L << 32) + 123)).isEqualTo(123);
    }

    private static long distance(long xmin32, long bound8) throws Exception {
        String sql = "SELECT " + withXmin(XidWindow.DISTANCE_SQL);
        try (Connection c = OutboxDatabases.POSTGRES.open(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, xmin32);
            s.setLong(2, XidWindow.low32(bound8));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The non-first-read condition as XidWindowReader binds it: low32(to), from - to, low32(to). */
    private static boolean inWindow(long xmin32, long from, long to) throws Exception {
        String sql = "SELECT " + withXmin(XidWindow.condition(false));
        try (Connection c = OutboxDatabases.POSTGRES.open(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, xmin32);
            s.setLong(2, XidWindow.low32(to));
            s.setLong(3, from - to);
            s.setLong(4, xmin32);
            s.setLong(5, XidWindow.low32(to));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String withXmin(String sql) {
        return sql.replace("\"xmin\"::text::bigint", "?::bigint");
    }
}
