package io.onramp.connect.sink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.core.change.ChangeEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotExportSinkTaskTest {

    private static final String TOPIC = "crm.customers.v1";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Schema ROW = SchemaBuilder.struct().name("Customer")
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T10:00:00.500Z"));
    private final FakeContext context = new FakeContext();

    private SnapshotExportSinkTask start(String format) {
        var task = new SnapshotExportSinkTask(clock);
        task.initialize(context);
        var props = new HashMap<String, String>();
        props.put("name", "export-test");
        props.put("topics", TOPIC);
        props.put(SnapshotExportSinkConfig.PATH, dir.toString());
        props.put(SnapshotExportSinkConfig.FORMAT, format);
        props.put(SnapshotExportSinkConfig.SCHEDULE, "PT1M");
        props.put(SnapshotExportSinkConfig.KEY_FIELDS, "id");
        props.put(SnapshotExportSinkConfig.DATE_FORMAT, "HHmm");
        task.start(props);
        task.open(List.of(TP));
        return task;
    }

    private static Struct row(long id, String name) {
        return new Struct(ROW).put("id", id).put("name", name);
    }

    private static SinkRecord state(long offset, long id, String name) {
        return new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), ROW, name == null ? null : row(id, name), offset);
    }

    @Test
    void exportsTheLatestStateOnItsScheduleWithAManifestThatChecksOut() throws Exception {
        var task = start("jsonl");
        var envelope = new ChangeEnvelope("onramp.Envelope", ROW, SchemaBuilder.struct().optional().build());
        task.put(List.of(state(0, 1, "Ann"), state(1, 2, "Bob"), state(2, 3, "Cid"),
                new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", 2L), envelope.schema(),
                        envelope.build(ChangeEnvelope.Op.UPDATE, row(2, "Bob"), row(2, "Bobby"), null, 0), 3),
                new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", 3L), envelope.schema(),
                        envelope.build(ChangeEnvelope.Op.DELETE, row(3, "Cid"), null, null, 0), 4),
                state(5, 1, null), state(6, 4, "Dee")));
        assertThat(dir.resolve("crm.customers.v1-1000.jsonl")).doesNotExist();
        clock.set(Instant.parse("2024-03-01T10:01:00.100Z"));
        task.put(List.of());

        Path file = dir.resolve("crm.customers.v1-1001.jsonl");
        assertThat(Files.readAllLines(file)).containsExactly("{\"id\":2,\"name\":\"Bobby\"}", "{\"id\":4,\"name\":\"Dee\"}");
        JsonNode manifest = JSON.readTree(dir.resolve("crm.customers.v1-1001.jsonl.manifest.json").toFile());
        assertThat(manifest.get("rows").asLong()).isEqualTo(2);
        assertThat(manifest.get("sha256").asText()).isEqualTo(sha256(file));
        assertThat(manifest.get("bytes").asLong()).isEqualTo(Files.size(file));
        assertThat(manifest.get("partitions").toString()).isEqualTo("[{\"partition\":0,\"next_offset\":7}]");
        assertThat(manifest.get("window").get("end").asText()).isEqualTo("2024-03-01T10:01:00Z");
        task.stop();
    }

    @Test
    void aRecordThatCannotBeKeyedFailsTheTaskNamingItsPositionWithoutADeadLetterQueue() {
        var task = start("csv");
        var keyless = new SinkRecord(TOPIC, 0, null, null, SchemaBuilder.struct().field("name", Schema.STRING_SCHEMA).build(),
                new Struct(SchemaBuilder.struct().field("name", Schema.STRING_SCHEMA).build()).put("name", "secret"), 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> task.put(List.of(keyless)))
                .isInstanceOf(org.apache.kafka.connect.errors.DataException.class)
                .hasMessageContaining(TOPIC + "-0@0").hasMessageContaining("'id'").hasMessageContaining("errors.tolerance")
                .hasMessageNotContaining("secret");
        task.stop();
    }

    @Test
    void commitsOnlyOffsetsItsStoreHolds() {
        var task = start("csv");
        task.put(List.of(state(0, 1, "Ann"), state(1, 2, "Bob")));
        Map<TopicPartition, OffsetAndMetadata> commit = task.preCommit(Map.of(TP, new OffsetAndMetadata(50)));
        assertThat(commit).isEqualTo(Map.of(TP, new OffsetAndMetadata(2)));
        task.stop();
    }

    @Test
    void afterACrashItResumesAtItsOwnOffsetsAndNeitherLosesNorDoublesKeys() throws Exception {
        var task = start("csv");
        task.put(List.of(state(0, 1, "Ann"), state(1, 2, "Bob")));
        task.preCommit(Map.of(TP, new OffsetAndMetadata(2)));
        task.put(List.of(state(2, 3, "Cid"), state(3, 1, null)));
        // the worker dies here: no preCommit, no stop; offsets 2 and 3 were never made durable
        task.abandonAsACrashWould();

        var restarted = new SnapshotExportSinkTask(clock);
        var context2 = new FakeContext();
        restarted.initialize(context2);
        var props = new HashMap<String, String>();
        props.put("name", "export-test");
        props.put("topics", TOPIC);
        props.put(SnapshotExportSinkConfig.PATH, dir.toString());
        props.put(SnapshotExportSinkConfig.SCHEDULE, "PT1M");
        props.put(SnapshotExportSinkConfig.KEY_FIELDS, "id");
        props.put(SnapshotExportSinkConfig.DATE_FORMAT, "HHmm");
        restarted.start(props);
        restarted.open(List.of(TP));
        assertThat(context2.offsets).isEqualTo(Map.of(TP, 2L));
        // Connect redelivers from 2, and a stale batch from before it is ignored
        restarted.put(List.of(state(1, 2, "Bob"), state(2, 3, "Cid"), state(3, 1, null), state(4, 2, "Bobby")));
        clock.set(Instant.parse("2024-03-01T10:01:00Z"));
        restarted.put(List.of());
        assertThat(Files.readAllLines(dir.resolve("crm.customers.v1-1001.csv")))
                .containsExactly("id,name", "2,Bobby", "3,Cid");
        restarted.stop();
    }

    @Test
    void anExportMissedWhileStoppedRunsOnceAtStart() throws Exception {
        var task = start("jsonl");
        task.put(List.of(state(0, 1, "Ann")));
        clock.set(Instant.parse("2024-03-01T10:01:00Z"));
        task.put(List.of());
        task.stop();
        clock.set(Instant.parse("2024-03-01T10:05:30Z"));
        var again = start("jsonl");
        again.put(List.of());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).sorted().toList())
                    .containsExactly("crm.customers.v1-1001.jsonl", "crm.customers.v1-1005.jsonl");
        }
        again.stop();
    }

    @Test
    void aTemporaryFileLeftByAKilledExportIsRemovedOnStartAndAnotherConnectorsIsKept() throws Exception {
        Path ours = Files.writeString(dir.resolve(".crm.customers.v1-1001.csv~export-test.partial"), "1,Ann\n");
        Path theirs = Files.writeString(dir.resolve(".crm.customers.v1-1001.csv~export-test-2.partial"), "1,Ann\n");
        var task = start("csv");
        assertThat(ours).doesNotExist();
        assertThat(theirs).exists();
        task.stop();
    }

    @Test
    void itsJmxBeanCountsRecordsAndExportsAndIsGoneAfterStop() throws Exception {
        var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var bean = new javax.management.ObjectName(
                "io.onramp.connect:type=snapshot-export-sink-task-metrics,connector=export-test,task=0");
        var task = start("jsonl");
        assertThat(jmx.isRegistered(bean)).isTrue();
        task.put(List.of(state(0, 1, "Ann"), state(1, 2, "Bob"), state(2, 3, "Cid"), state(3, 2, null)));
        assertThat(jmx.getAttribute(bean, "RecordsReceived")).isEqualTo(4L);
        assertThat(jmx.getAttribute(bean, "ExportsWritten")).isEqualTo(0L);
        assertThat(jmx.getAttribute(bean, "LastExportTime")).isEqualTo(0L);
        clock.set(Instant.parse("2024-03-01T10:01:00Z"));
        long before = System.currentTimeMillis();
        task.put(List.of());
        assertThat(jmx.getAttribute(bean, "ExportsWritten")).isEqualTo(1L);
        assertThat(jmx.getAttribute(bean, "LastExportRows")).isEqualTo(2L);
        assertThat(jmx.getAttribute(bean, "KeysInStore")).isEqualTo(2L);
        assertThat((Long) jmx.getAttribute(bean, "LastExportTime")).isBetween(before, System.currentTimeMillis());
        assertThat((Long) jmx.getAttribute(bean, "LastExportMillis")).isBetween(0L, System.currentTimeMillis() - before);
        task.stop();
        assertThat(jmx.isRegistered(bean)).isFalse();

        var again = start("jsonl");
        assertThat(jmx.getAttribute(bean, "KeysInStore")).as("read back from the store's checkpoint").isEqualTo(2L);
        assertThat(jmx.getAttribute(bean, "ExportsWritten")).isEqualTo(0L);
        again.stop();
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class FakeContext implements SinkTaskContext {
        final Map<TopicPartition, Long> offsets = new HashMap<>();

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            this.offsets.putAll(offsets);
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            offsets.put(tp, offset);
        }

        @Override
        public void timeout(long timeoutMs) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(TP);
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }
    }

    @SuppressWarnings("unused")
    private static List<String> lines(Path file) throws Exception {
        return new ArrayList<>(Files.readAllLines(file));
    }
}
