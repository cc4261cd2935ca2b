package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxPositionTest {

    @Test
    void anOffsetIsAnOrderedMapWhateverTheOrderOfInsertion() {
        var offset = new OutboxPosition(9_000_000_000L, "0c9a5e4e-0000-4000-8000-000000000001").toOffset();

        assertThat(offset).isInstanceOf(java.util.SortedMap.class);
        assertThat(offset.keySet()).containsExactly("id", "txid");
    }

    @Test
    void aBatchPositionKeepsItsBoundsInKeyOrder() {
        var offset = new OutboxPosition(5_000_000_000L, 5_000_000_100L, 17L).toOffset();

        assertThat(offset.keySet()).containsExactly("id", "txid", "txid.end");
        assertThat(OutboxPosition.fromOffset(offset)).isEqualTo(new OutboxPosition(5_000_000_000L, 5_000_000_100L, 17L));
    }

    @Test
    void aTransactionPositionIsTheBatchOfItsOneTransaction() {
        assertThat(new OutboxPosition(41L, 17L).batchEnd()).isEqualTo(42L);
        assertThat(new OutboxPosition(41L, 50L, 17L).batchEnd()).isEqualTo(50L);
    }

    @Test
    void aPositionWithoutTransactionIdHasOnlyTheId() {
        assertThat(new OutboxPosition(OutboxPosition.NO_TXID, 42L).toOffset()).containsExactly(Map.entry("id", 42L));
    }

    @Test
    void readsBackWhatTheJsonConverterGivesForAnOffset() {
        var read = new LinkedHashMap<String, Object>();
        read.put("txid", 5_000_000_000L);
        read.put("id", 17); // JSON brings small numbers back as Integer

        assertThat(OutboxPosition.fromOffset(read)).isEqualTo(new OutboxPosition(5_000_000_000L, 17L));
    }

    @Test
    void noOffsetIsTheStart() {
        assertThat(OutboxPosition.fromOffset(null)).isEqualTo(OutboxPosition.START);
        assertThat(OutboxPosition.START.isStart()).isTrue();
    }

    @Test
    void refusesOffsetsItDidNotWrite() {
        assertThat(OutboxPosition.problem(Map.of("position", 3))).contains("'id'");
        assertThat(OutboxPosition.problem(Map.of("id", 3, "txid", -1))).contains("'txid'");
        assertThat(OutboxPosition.problem(Map.of("id", 3, "lsn", 1))).contains("'lsn'");
        assertThat(OutboxPosition.problem(Map.of("id", 3, "txid", 10, "txid.end", 10))).contains("'txid.end'");
        assertThat(OutboxPosition.problem(Map.of("id", 3, "txid", 10, "txid.end", 11))).isNull();
        assertThatThrownBy(() -> OutboxPosition.fromOffset(Map.of("id", true))).isInstanceOf(IllegalArgumentException.class);
    }
}
