package io.onramp.connect.source.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.QuarantineHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** on.invalid for an outbox row whose payload is not JSON, through the policy the transforms share. */
class OutboxRecordsTest {

    private static final String SECRET_PAYLOAD = "not json: card 4111-1111";

    private static OutboxRecords records(String onInvalid, OutboxSourceMetrics metrics) {
        var props = Map.of("connection.url", "jdbc:postgresql://127.0.0.1:5432/test", "outbox.table", "public.outbox",
                "table.expand.json.payload", "true", "on.invalid", onInvalid);
        var config = new OutboxSourceConfig(props);
        return new OutboxRecords(config.router(), OutboxOffsets.partition(config.table()), "public.outbox",
                config.onInvalid(), config.quarantineSuffix(), metrics);
    }

    private static OutboxEvent event(String payload) {
        var columns = new LinkedHashMap<String, Object>();
        columns.put("id", 7L);
        columns.put("aggregatetype", "order");
        columns.put("aggregateid", "o-1");
        columns.put("type", "OrderPlaced");
        columns.put("payload", payload);
        return new OutboxEvent(new OutboxPosition(100L, 101L, 7L), columns);
    }

    @Test
    void failStopsWithTheTableAndPositionButNotThePayload() {
        assertThatThrownBy(() -> records("fail", new OutboxSourceMetrics()).toRecord(event(SECRET_PAYLOAD), 1L))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("outbox table public.outbox, event at txids 100..100, id 7")
                .hasMessageContaining("outbox.event.order")
                .hasMessageNotContaining("4111");
    }

    @Test
    void dropCountsAndDeliversNothing() {
        var metrics = new OutboxSourceMetrics();

        assertThat(records("drop", metrics).toRecord(event(SECRET_PAYLOAD), 1L)).isNull();
        assertThat(metrics.getInvalidDropped()).isEqualTo(1);
        assertThat(metrics.getInvalidQuarantined()).isZero();
    }

    @Test
    void quarantineSendsTheEventToItsQuarantineTopicWithTheReasonAndKeepsTheOffset() {
        var metrics = new OutboxSourceMetrics();

        SourceRecord out = records("quarantine", metrics).toRecord(event(SECRET_PAYLOAD), 1L);

        assertThat(out.topic()).isEqualTo("outbox.event.order.quarantine");
        assertThat(out.kafkaPartition()).isNull();
        assertThat(out.sourceOffset()).isEqualTo(new OutboxPosition(100L, 101L, 7L).toOffset());
        assertThat(out.headers().lastWithName(QuarantineHeaders.SOURCE_TOPIC).value()).isEqualTo("outbox.event.order");
        assertThat(out.headers().lastWithName(QuarantineHeaders.RULE).value()).isEqualTo("json");
        assertThat(out.headers().lastWithName("id").value()).isEqualTo(7L);
        assertThat(metrics.getInvalidQuarantined()).isEqualTo(1);
    }

    @Test
    void aGoodRowIsRoutedWithItsPosition() {
        SourceRecord out = records("fail", new OutboxSourceMetrics()).toRecord(event("{\"n\": 1}"), 1L);

        assertThat(out.topic()).isEqualTo("outbox.event.order");
        assertThat(out.key()).isEqualTo("o-1");
        assertThat(out.sourceOffset()).isEqualTo(Map.of("id", 7L, "txid", 100L, "txid.end", 101L));
    }
}
