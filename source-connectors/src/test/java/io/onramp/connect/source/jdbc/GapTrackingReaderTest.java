package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import io.onramp.connect.core.jdbc.TableId;
import io.onramp.connect.source.outbox.OutboxDatabases;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mode incrementing where no transaction horizon bounds the reads (MariaDB, and PostgreSQL with
 * transaction.horizon.enabled=false): ids missing below the highest id read are looked for every round, all of
 * them, until the timeout has passed by the start of a round that looked for them. The reader runs on the real
 * databases with a clock the test moves, so each round's time is exact.
 */
class GapTrackingReaderTest {

    private static final long TIMEOUT_MS = 5_000;
    private static final long POLL_MS = 100;

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aLateRowIsReadWhenItsGapIsNotAmongTheLowest200(OutboxDatabases db) throws Exception {
        // 499 old holes (2, 4, ..., 998) below the gap that matters, 1000, all noticed in the same round.
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= 999; id += 2) {
            ids.add(id);
        }
        ids.add(1001L);
        try (var table = new Table(db, ids); var reader = table.reader(null)) {
            assertThat(table.round(reader)).hasSize(501);
            table.insert(1000);
            table.clock.advance(1_000); // within the timeout
            assertThat(table.round(reader)).as("the row committed 1 s after 1001 was read").containsExactly(1000L);
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aGapIsLookedForOnceMoreWhenTheRoundAfterItOpenedStartsAfterTheTimeout(OutboxDatabases db) throws Exception {
        try (var table = new Table(db, List.of(1L, 3L, 5L)); var reader = table.reader(null)) {
            assertThat(table.round(reader)).containsExactly(1L, 3L, 5L); // 2 and 4 open
            table.insert(2); // committed 1 s after its gap opened
            table.clock.advance(1_000);
            table.clock.advance(9_000); // the next round comes late (the task was busy elsewhere)
            assertThat(table.round(reader)).containsExactly(2L);
            assertThat(table.metric("GapsTimedOut")).as("4 was looked for only now").isZero();
            table.clock.advance(POLL_MS);
            assertThat(table.round(reader)).isEmpty();
            assertThat(table.metric("GapsTimedOut")).as("a round that started 10 s after 4 opened did not find it")
                    .isEqualTo(1L);
            assertThat(table.metric("IdsTimedOut")).isEqualTo(1L);
            table.insert(4);
            table.clock.advance(POLL_MS);
            assertThat(table.round(reader)).as("given up").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void anOffsetInTheFormatOfEarlierVersionsResumesWhereItStood(OutboxDatabases db) throws Exception {
        try (var table = new Table(db, List.of(1L, 2L, 3L, 5L, 6L, 8L))) {
            long since = table.clock.millis();
            // The offset main wrote before the gap text: 4 and 7 open below 8, the highest id read.
            Map<String, Object> offset = Map.of(GapTrackingReader.GAPS, "8|4~4@" + since + ",7~7@" + since);
            table.insert(7);
            table.insert(9);
            try (var reader = table.reader(offset)) {
                List<SourceRecord> records = new ArrayList<>();
                assertThat(table.round(reader, records)).as("not the rows read before").containsExactly(7L, 9L);
                Map<String, ?> last = records.get(records.size() - 1).sourceOffset();
                assertThat(last.get(GapTrackingReader.MAX)).isEqualTo(9L);
                assertThat(GapTracker.decode((String) last.get(GapTrackingReader.GAP_TEXT), 9L, TIMEOUT_MS, 100).gaps())
                        .containsExactly(new GapTracker.Gap(4, 4, since));
                assertThat(last.get(GapTrackingReader.GAPS)).isEqualTo("9|");
                table.insert(4);
                table.clock.advance(POLL_MS);
                assertThat(table.round(reader)).containsExactly(4L);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void everyOffsetWrittenGivesThe010DecoderTheHighestIdReadWithOrWithoutOpenGaps(OutboxDatabases db) throws Exception {
        try (var table = new Table(db, List.of(1L, 2L, 3L, 5L, 6L, 8L)); var reader = table.reader(null)) {
            List<SourceRecord> records = new ArrayList<>();
            assertThat(table.round(reader, records)).containsExactly(1L, 2L, 3L, 5L, 6L, 8L);
            assertThat(gapText(records.get(2))).as("no gap open at 3").isEmpty();
            assertThat(gapText(records.get(5))).as("4 and 7 open at 8").isNotEmpty();
            long[] highest = {1, 2, 3, 5, 6, 8};
            for (int i = 0; i < records.size(); i++) {
                String gaps = (String) records.get(i).sourceOffset().get(GapTrackingReader.GAPS);
                // 0.1.0 resumes above the highest id read (losing only the open gaps), never from the start or failing.
                assertThat(GapOffsetDecoder010.decode(gaps)).as("record %d", i)
                        .isEqualTo(new GapOffsetDecoder010.State(highest[i], List.of()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void offsetsOfAllThreeFormatsResumeWhereTheyStoodGapsIncluded(OutboxDatabases db) throws Exception {
        // One state, 4 and 7 open below 8 (the highest id read), as each version wrote it.
        List<java.util.function.LongFunction<Map<String, Object>>> formats = List.of(
                since -> Map.of(GapTrackingReader.GAPS, "8|4~4@" + since + ",7~7@" + since), // 0.1.0
                since -> Map.of(GapTrackingReader.GAPS, "4@" + since + ",3", GapTrackingReader.MAX, 8L), // main early 2 Dec
                since -> Map.of(GapTrackingReader.GAPS, "8|", GapTrackingReader.GAP_TEXT, "4@" + since + ",3",
                        GapTrackingReader.MAX, 8L)); // now
        for (int format = 0; format < formats.size(); format++) {
            try (var table = new Table(db, List.of(1L, 2L, 3L, 5L, 6L, 8L))) {
                long since = table.clock.millis();
                table.insert(7);
                table.insert(9);
                try (var reader = table.reader(formats.get(format).apply(since))) {
                    assertThat(table.round(reader)).as("format %d: not the rows read before", format).containsExactly(7L, 9L);
                    table.insert(4);
                    table.clock.advance(POLL_MS);
                    assertThat(table.round(reader)).as("format %d: gap 4 still looked for", format).containsExactly(4L);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void beyondTheCapacityTheLowestGapsGiveWayCountedAndOffsetsShareOneBoundedGapText(OutboxDatabases db) throws Exception {
        // 2,400 holes (2, 4, ..., 4800), then 99 rows without a hole.
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= 4801; id += 2) {
            ids.add(id);
        }
        for (long id = 4802; id <= 4900; id++) {
            ids.add(id);
        }
        try (var table = new Table(db, ids); var reader = table.reader(null)) {
            List<SourceRecord> records = new ArrayList<>();
            assertThat(table.round(reader, records)).hasSize(ids.size());
            int cap = GapTrackingReader.MAX_GAPS;
            assertThat(table.metric("GapsDroppedForCapacity")).isEqualTo(2_400L - cap);
            assertThat(table.metric("IdsDroppedForCapacity")).isEqualTo(2_400L - cap);
            assertThat(table.metric("GapsOpen")).isEqualTo((long) cap);
            int longest = records.stream().mapToInt(r -> gapText(r).length()).max().orElseThrow();
            // The first gap in full (id, time: under 20 characters), then "," + distance 2 (+ "@" and ms) per gap.
            assertThat(longest).isLessThanOrEqualTo(20 + 8 * cap);
            // From 4801 on the gaps no longer change: the records share one text.
            String shared = gapText(records.get(records.size() - 100));
            assertThat(records.subList(records.size() - 100, records.size())).allSatisfy(r -> assertThat(gapText(r)).isSameAs(shared));
            // The highest holes are the ones still looked for: 2802..4800.
            table.insert(4800);
            table.insert(2802);
            table.clock.advance(POLL_MS);
            assertThat(table.round(reader)).containsExactly(2802L, 4800L);
            table.insert(2800);
            table.clock.advance(POLL_MS);
            assertThat(table.round(reader)).as("dropped for capacity").isEmpty();
        }
    }

    private static String gapText(SourceRecord record) {
        return (String) record.sourceOffset().get(GapTrackingReader.GAP_TEXT);
    }

    /** A table {@code (id BIGINT PRIMARY KEY)} with the given ids, dropped on close; its readers use {@link #clock}. */
    private static final class Table implements AutoCloseable {
        final OutboxDatabases db;
        final String name = OutboxDatabases.uniqueName("gap_reader");
        final MovableClock clock = new MovableClock();
        private final List<GapTrackingReader> readers = new ArrayList<>();

        Table(OutboxDatabases db, List<Long> ids) throws Exception {
            this.db = db;
            var values = new StringJoiner(",");
            ids.forEach(id -> values.add("(" + id + ")"));
            sql("CREATE TABLE " + name + " (id BIGINT PRIMARY KEY)", "INSERT INTO " + name + " VALUES " + values);
        }

        GapTrackingReader reader(Map<String, Object> offset) {
            Map<String, String> props = new HashMap<>();
            props.put("connection.url", db.url());
            props.put("connection.user", OutboxDatabases.user());
            props.put("connection.password", OutboxDatabases.password());
            props.put("mode", "incrementing");
            props.put("incrementing.column.name", "id");
            props.put("topic.prefix", "gaps.");
            props.put("transaction.horizon.enabled", "false");
            props.put("incrementing.gap.timeout.ms", String.valueOf(TIMEOUT_MS));
            props.put("poll.interval.ms", String.valueOf(POLL_MS));
            var config = new JdbcSourceConfig(props);
            var dialect = Dialects.forUrl(db.url());
            var ctx = new ReaderContext(config, new JdbcConnectionFactory(config.connection(), dialect), dialect,
                    new ColumnMapper(dialect, config.numericMapping(), config.dbTimeZone()), clock, "gap-reader-test");
            var target = new ReadTarget(tableId(), null, "gaps." + name, List.of("id"), false);
            assertThat(JdbcSourceTask.usesTransactionHorizon(target, dialect, config)).isFalse();
            var reader = new GapTrackingReader(target, ctx, offset);
            readers.add(reader);
            return reader;
        }

        private TableId tableId() {
            return new TableId(null, db == OutboxDatabases.POSTGRES ? "public" : null, name);
        }

        /** The ids one round emits. */
        List<Long> round(TableReader reader) throws Exception {
            return round(reader, new ArrayList<>());
        }

        /** The ids one round emits, its records added to {@code records}; the clock stands still meanwhile. */
        List<Long> round(TableReader reader, List<SourceRecord> records) throws Exception {
            assertThat(reader.nextRoundAtMs()).as("a round is due").isLessThanOrEqualTo(clock.millis());
            List<Long> ids = new ArrayList<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            do {
                var batch = reader.poll(500, clock.millis());
                if (batch != null) {
                    records.addAll(batch);
                    batch.forEach(r -> ids.add(((Number) ((Struct) r.value()).get("id")).longValue()));
                }
                assertThat(System.nanoTime()).as("the round ends within 60 s").isLessThan(deadline);
            } while (reader.nextRoundAtMs() == 0);
            return ids;
        }

        void insert(long id) throws Exception {
            sql("INSERT INTO " + name + " VALUES (" + id + ")");
        }

        Long metric(String attribute) throws Exception {
            return (Long) ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(GapMetrics.name("gap-reader-test", tableId().toConfigText()), attribute);
        }

        private void sql(String... statements) throws Exception {
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            }
        }

        @Override
        public void close() throws Exception {
            readers.forEach(GapTrackingReader::close);
            sql("DROP TABLE IF EXISTS " + name);
        }
    }

    /** The readers' clock, moved by the test only. */
    private static final class MovableClock extends Clock {

        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
