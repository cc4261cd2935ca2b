package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XidWindowTest {

    @Test
    void distanceIsSignedAcrossTheWraparound() {
        long bound = (5L << 32) + 10; // epoch 5, xid 10
        assertThat(XidWindow.distance(9, bound)).isEqualTo(-1);
        assertThat(XidWindow.distance(10, bound)).isZero();
        assertThat(XidWindow.distance(12, bound)).isEqualTo(2);
        assertThat(XidWindow.distance(4294967295L, bound)).as("xid 2^32-1 of epoch 4").isEqualTo(-11);
        long nearTop = (5L << 32) + 4294967290L;
        assertThat(XidWindow.distance(3, nearTop)).as("xid 3 of epoch 6").isEqualTo(9);
    }

    @Test
    void low32KeepsTheTupleVisiblePart() {
        assertThat(XidWindow.low32((7L << 32) + 123)).isEqualTo(123);
    }

    @Test
    void conditionsBindTheBoundThenTheRange() {
        assertThat(XidWindow.condition(false)).startsWith("(").contains(">= ?").contains("< 0)");
        assertThat(XidWindow.condition(true)).startsWith("NOT (");
    }
}
