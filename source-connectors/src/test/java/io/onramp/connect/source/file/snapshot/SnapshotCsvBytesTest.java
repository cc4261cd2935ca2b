package io.onramp.connect.source.file.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.schema.AvroSchemaMapper;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.SortedRunFile;
import io.onramp.connect.source.file.read.CsvFileReader;
import io.onramp.connect.source.file.read.FileReaders;
import io.onramp.connect.source.file.read.UnreadableFileException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema.Parser;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte path must sort every dump it accepts into the very run file the row path writes, and leave every
 * other dump to the row path. Random dumps, good and bad, are sorted both ways and compared.
 */
class SnapshotCsvBytesTest {

    private static final Schema CONTRACT = AvroSchemaMapper.toConnectSchema(new Parser().parse("""
            {"type": "record", "name": "Account", "fields": [
              {"name": "id", "type": "long"},
              {"name": "owner", "type": "string"},
              {"name": "balance", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}], "default": null},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "at", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null}
            ]}"""));

    private static final String[] DECIMALS = {"", " 1.5", "x", "1.50", "-1.50", "-0.00", "0.00", "0.05", "007.10", "1234567.89",
        "12345678.90", "1e2", "+1.25", "1.255", ".25", "-.25", "5.", "1234567.8"};
    private static final String[] INTEGERS = {"", " 7 ", "0", "-0", "007", "+5", "-12", "123456789012345678",
        "1234567890123456789", "9223372036854775807", "9223372036854775808", "1.0", "x"};
    private static final String[] TIMESTAMPS = {"", "2024-06-02T02:00:00Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z",
        "2024-06-02T24:00:00Z", "2024-06-02 02:00:00Z", "2024-06-02T02:00:00.5Z", "0000-01-01T00:00:00Z", "2024-06-02",
        "9999-12-31T23:59:59Z", "2024-13-01T00:00:00Z", "2024-06-02T02:00:00+01:00", "2024-06-02T02:00:60Z", " 2024-06-02T02:00:00Z"};

    private static final String[] PIECES = {"a", "Zz", "é", "𝄞", " ", "", ",", "\"", "\n", "\r\n", "\r", "1", "2.5", " 7 ", "x\"y"};

    @TempDir
    Path dir;

    @Test
    void acceptsOnlyDumpsTheRowPathReadsWithoutBadRowsAndWritesTheSameRunWithoutAContract() throws IOException {
        compareOnRandomDumps(null, 3000);
    }

    @Test
    void acceptsOnlyDumpsTheRowPathReadsWithoutBadRowsAndWritesTheSameRunWithAContract() throws IOException {
        compareOnRandomDumps(CONTRACT, 6000);
    }

    @Test
    void takesAPlainUtf8DumpWithQuotesAndCanonicalizesContractValues() throws IOException {
        String csv = "\uFEFFid,owner,balance,note,at\n 2 ,\"Smith, J\",1.5,,\n1,Ada,\" 3 \",\"multi\nline\",2024-06-02T02:00:00Z\r\n\n3,é𝄞,,x,2024-06-02T02:00:00.5Z\n";
        Path file = Files.writeString(dir.resolve("d.csv"), csv);
        var fast = fast(file, CONTRACT, dir.resolve("fast.run"));
        assertThat(fast).isNotNull();
        assertThat(rows(fast.run())).isEqualTo(rows(slow(file, CONTRACT, dir.resolve("slow.run")).run()));
        assertThat(rows(fast.run())).extracting(Row::values).containsExactly(
                java.util.Arrays.asList("1", "Ada", "3.00", "multi\nline", "2024-06-02T02:00:00Z"),
                java.util.Arrays.asList("2", "Smith, J", "1.50", null, null),
                java.util.Arrays.asList("3", "é𝄞", null, "x", "2024-06-02T02:00:00.500Z"));
    }

    @Test
    void leavesBadDumpsToTheRowPath() throws IOException {
        for (String csv : List.of("id,owner\n1,a\n1,b\n", "id,owner\n,a\n", "id,owner\n1,a,b\n", "id,owner\n1,\"a\n",
                "id,id\n1,2\n", "")) {
            Path file = Files.writeString(dir.resolve("bad.csv"), csv);
            assertThat(fast(file, null, dir.resolve("bad.run"))).as(csv).isNull();
            assertThat(Files.exists(dir.resolve("bad.run"))).isFalse();
        }
        Path invalid = dir.resolve("invalid.csv");
        Files.write(invalid, new byte[] {'i', 'd', ',', 'o', '\n', '1', ',', (byte) 0xC3, '\n'});
        assertThat(fast(invalid, null, dir.resolve("invalid.run"))).isNull();
    }

    @Test
    void aDumpReadInTwoHalvesDiffsExactlyAsReadWholeWhereverTheMiddleFalls() throws IOException {
        var random = new Random(7);
        Path previousCsv = Files.writeString(dir.resolve("previous.csv"), "id,owner,note\n1,a,x\n3,c,\"z\nz\"\n4,d,w\n");
        Path previous = dir.resolve("previous.run");
        assertThat(fast(previousCsv, null, previous)).isNotNull();
        var options = new io.onramp.connect.core.diff.DiffOptions(
                List.of(io.onramp.connect.core.sort.KeyColumn.text("id")), java.util.Set.of(), true);
        int taken = 0;
        for (int d = 0; d < 1500; d++) {
            Path file = dir.resolve("dump.csv");
            Files.write(file, randomDump(random, false, 12));
            var whole = new SnapshotCsvBytes(List.of("id"), 4096, () -> false).sortAndDiff(file, ',', '"',
                    FileReaders.csvMappers(null), dir.resolve("whole-" + d + ".run"), previous, options);
            var halves = new SnapshotCsvBytes(List.of("id"), 4096, () -> false).splittingFrom(0).sortAndDiff(file, ',',
                    '"', FileReaders.csvMappers(null), dir.resolve("halves-" + d + ".run"), previous, options);
            String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (whole == null) {
                assertThat(halves).as("dump %d: %s", d, content).isNull();
                assertThat(dir.resolve("halves-" + d + ".run")).doesNotExist();
                continue;
            }
            taken++;
            assertThat(halves).as("dump %d: %s", d, content).isNotNull();
            try {
                assertThat(halves.sorted().read()).isEqualTo(whole.sorted().read());
                assertThat(halves.sorted().rows()).isEqualTo(whole.sorted().rows());
                assertThat(rows(halves.sorted().run())).as("dump %d: %s", d, content).isEqualTo(rows(whole.sorted().run()));
                assertThat(events(halves.changes())).as("dump %d: %s", d, content).isEqualTo(events(whole.changes()));
            } finally {
                whole.changes().close();
                halves.changes().close();
            }
        }
        assertThat(taken).as("dumps the byte path took").isGreaterThan(150);
    }

    @Test
    void aDumpDiffedInTwoKeyRangesOnTwoThreadsGivesTheEventsAndRunOfOneThread() throws IOException {
        // An applied snapshot of some 2 MB: its run is indexed, so the next diff is cut at a row near its middle.
        var random = new Random(11);
        var previousRows = new ArrayList<String>();
        for (int i = 0; i < 40_000; i++) {
            previousRows.add(i * 2 + ",owner-" + i + ",note " + random.nextInt(1000));
        }
        Path previousCsv = dir.resolve("previous.csv");
        Files.write(previousCsv, csv(previousRows));
        Path previous = dir.resolve("previous.run");
        assertThat(fast(previousCsv, null, previous)).isNotNull();
        var middle = io.onramp.connect.core.sort.SortedRunFile.middle(previous);
        assertThat(middle).isNotNull();
        var fields = new io.onramp.connect.core.sort.RowCodec.Fields();
        fields.scan(middle.record(), 0, middle.record().length);
        String cutId = io.onramp.connect.core.sort.RowCodec.decode(middle.record(), fields).get(0);
        var options = new io.onramp.connect.core.diff.DiffOptions(
                List.of(io.onramp.connect.core.sort.KeyColumn.text("id")), java.util.Set.of(), true);
        for (int d = 0; d < 4; d++) {
            // Rows deleted, updated and inserted (odd ids) all over, the cut row among them in turns; lines shuffled.
            var rows = new ArrayList<String>();
            for (int i = 0; i < previousRows.size(); i++) {
                String row = previousRows.get(i);
                boolean cutRow = row.startsWith(cutId + ",");
                int roll = random.nextInt(100);
                if (roll == 0 || cutRow && d == 1) {
                    continue;
                } else if (roll == 1 || cutRow && d == 2) {
                    rows.add(row + " changed");
                } else {
                    rows.add(row);
                }
                if (roll == 2 || cutRow && d == 3) {
                    rows.add((i * 2 + 1) + ",inserted-" + i + ",new");
                }
            }
            java.util.Collections.shuffle(rows, random);
            Path file = dir.resolve("dump-" + d + ".csv");
            Files.write(file, csv(rows));
            var whole = new SnapshotCsvBytes(List.of("id"), 256 * 1024, () -> false).sortAndDiff(file, ',', '"',
                    FileReaders.csvMappers(null), dir.resolve("whole-" + d + ".run"), previous, options);
            var ranges = new SnapshotCsvBytes(List.of("id"), 256 * 1024, () -> false).splittingFrom(0).sortAndDiff(
                    file, ',', '"', FileReaders.csvMappers(null), dir.resolve("ranges-" + d + ".run"), previous, options);
            try {
                assertThat(whole.keyRanges()).isEqualTo(1);
                assertThat(ranges.keyRanges()).as("dump %d", d).isEqualTo(2);
                assertThat(ranges.changes().summary()).isEqualTo(whole.changes().summary());
                assertThat(ranges.changes().summary().events()).isGreaterThan(600);
                assertThat(rows(ranges.sorted().run())).as("dump %d", d).isEqualTo(rows(whole.sorted().run()));
                assertThat(events(ranges.changes())).as("dump %d", d).isEqualTo(events(whole.changes()));
            } finally {
                whole.changes().close();
                ranges.changes().close();
            }
        }
        // A merge that ran to its end leaves its spills to the sorter's cleanup thread (closeInBackground), so
        // they are gone soon after, not necessarily by now.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())
                        .filter(n -> n.contains(".partial") || n.contains("spill")))
                        .as("spools, spills and partial runs left").isEmpty();
            }
        });
    }

    @Test
    void aDumpThatFailsOrIsStoppedWhileDiffedInTwoKeyRangesLeavesNothingBehind() throws IOException {
        var previousRows = new ArrayList<String>();
        for (int i = 0; i < 40_000; i++) {
            previousRows.add(String.format("%06d,owner-%d,a note of some length %d", i, i, i % 7));
        }
        Path previousCsv = dir.resolve("previous.csv");
        Files.write(previousCsv, csv(previousRows));
        Path previous = dir.resolve("previous.run");
        assertThat(fast(previousCsv, null, previous)).isNotNull();
        var options = new io.onramp.connect.core.diff.DiffOptions(
                List.of(io.onramp.connect.core.sort.KeyColumn.text("id")), java.util.Set.of(), true);

        // A key twice, in the upper range: the byte path gives the dump up (the row path then names both lines).
        var duplicated = new ArrayList<>(previousRows);
        duplicated.add("039999,again,twice");
        Path file = dir.resolve("duplicate.csv");
        Files.write(file, csv(duplicated));
        assertThat(new SnapshotCsvBytes(List.of("id"), 256 * 1024, () -> false).splittingFrom(0).sortAndDiff(file, ',',
                '"', FileReaders.csvMappers(null), dir.resolve("duplicate.run"), previous, options)).isNull();
        assertThat(leftIn(dir)).as("after the duplicate").isEmpty();

        // Stopped once the second key range's thread runs: the stop ends both ranges.
        Path stopped = dir.resolve("stopped.csv");
        Files.write(stopped, csv(previousRows));
        java.util.function.BooleanSupplier diffing = () -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("onramp-snapshot-diff-"));
        assertThatThrownBy(() -> new SnapshotCsvBytes(List.of("id"), 256 * 1024, diffing).splittingFrom(0).sortAndDiff(
                stopped, ',', '"', FileReaders.csvMappers(null), dir.resolve("stopped.run"), previous, options))
                .isInstanceOf(io.onramp.connect.source.snapshot.SortCancelledException.class);
        assertThat(diffing.getAsBoolean()).as("a diff thread still running").isFalse();
        assertThat(leftIn(dir)).as("after the stop").isEmpty();
    }

    /** What a sort or diff of a dump leaves beside its input: spills, partial runs, event spools, runs. */
    private static List<String> leftIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".partial") || n.contains("spill") || n.startsWith("duplicate.run")
                            || n.startsWith("stopped.run"))
                    .toList();
        }
    }

    private static byte[] csv(List<String> rows) {
        return ("id,owner,note\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> events(io.onramp.connect.core.diff.SpooledDiff changes) {
        var events = new ArrayList<String>();
        changes.forEachRemaining(event -> events.add(event.op() + " " + event.key() + " " + event.before() + " " + event.after()));
        return events;
    }

    @Test
    void splitsAfterALineFeedPastTheMiddleAndCountsTheLinesBeforeItAsTheReaderDoes() throws IOException {
        var bytes = new SnapshotCsvBytes(List.of("id"), 4096, () -> false).splittingFrom(0);
        // CRLF, a lone CR, an LF inside quotes: 6 lines end before the middle, which falls in the b's.
        String head = "id\r\n1\r2\n\"3\n\"\r\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n";
        Path file = Files.writeString(dir.resolve("lines.csv"), head + "ccc\n");
        var split = bytes.split(file);
        assertThat(split).isNotNull();
        assertThat(split.offset()).isEqualTo(head.length());
        assertThat(split.size()).isEqualTo(Files.size(file));
        assertThat(SnapshotCsvBytes.linesBefore(file, split.offset())).isEqualTo(6);
        assertThat(SnapshotCsvBytes.linesBefore(file, "id\r\n1\r".length())).isEqualTo(2);
        assertThat(SnapshotCsvBytes.linesBefore(file, "id\r".length())).as("a CR whose LF is not yet read").isEqualTo(1);
        assertThat(SnapshotCsvBytes.linesBefore(file, "id\r\n".length())).isEqualTo(1);
        assertThat(bytes.split(Files.writeString(dir.resolve("one.csv"), "id\n1,2,3,4,5,6,7,8,9\n"))).as("LF last").isNull();
        assertThat(new SnapshotCsvBytes(List.of("id"), 4096, () -> false).split(file)).as("too small to split").isNull();
    }

    @Test
    void countsLineEndsAcrossWordAndBufferBoundariesAsABytewiseCountDoes() throws IOException {
        // Lines of random lengths ended by LF, CR or CRLF, past the 1 MiB read buffer, with a CRLF whose CR ends one
        // buffer and whose LF starts the next.
        var random = new Random(7);
        var out = new java.io.ByteArrayOutputStream();
        while (out.size() < (1 << 20) + 50_000) {
            if (out.size() == (1 << 20) - 1 - 17) {
                out.writeBytes("x".repeat(17).getBytes(StandardCharsets.US_ASCII));
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII)); // CR at the last byte of the first buffer
                continue;
            }
            int length = random.nextInt(20);
            for (int i = 0; i < length && out.size() != (1 << 20) - 1 - 17; i++) {
                out.write('a' + random.nextInt(26));
            }
            if (out.size() == (1 << 20) - 1 - 17) {
                continue;
            }
            switch (random.nextInt(3)) {
                case 0 -> out.write('\n');
                case 1 -> out.write('\r');
                default -> out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] bytes = out.toByteArray();
        assertThat(bytes[(1 << 20) - 1]).isEqualTo((byte) '\r');
        assertThat(bytes[1 << 20]).isEqualTo((byte) '\n');
        Path file = Files.write(dir.resolve("line-ends.csv"), bytes);
        for (int offset : new int[] {0, 1, 7, 8, 9, 4095, 65_537, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (1 << 20) + 9,
                bytes.length - 1, bytes.length}) {
            long expected = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\r' || bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
                    expected++;
                }
            }
            assertThat(SnapshotCsvBytes.linesBefore(file, offset)).as("line ends before byte %d", offset).isEqualTo(expected);
        }
    }

    private void compareOnRandomDumps(Schema contract, int dumps) throws IOException {
        var random = new Random(42);
        int taken = 0;
        for (int d = 0; d < dumps; d++) {
            Path file = dir.resolve("dump.csv");
            Files.write(file, randomDump(random, contract != null));
            Path fastRun = dir.resolve("fast-" + d + ".run");
            Path slowRun = dir.resolve("slow-" + d + ".run");
            SnapshotSorter.Sorted fast = fast(file, contract, fastRun);
            SnapshotSorter.Sorted slow;
            try {
                slow = slow(file, contract, slowRun);
            } catch (UnreadableFileException e) {
                assertThat(fast).as("dump %d: the row path rejects it (%s)", d, e.getMessage()).isNull();
                continue;
            }
            if (fast == null) {
                continue;
            }
            taken++;
            String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            assertThat(slow.badCount()).as("dump %d: %s", d, content).isZero();
            assertThat(fast.rows()).isEqualTo(slow.rows());
            assertThat(fast.read()).isEqualTo(slow.read());
            assertThat(fast.text().columnNames()).isEqualTo(slow.text().columnNames());
            assertThat(rows(fastRun)).as("dump %d: %s", d, content).isEqualTo(rows(slowRun));
            Files.deleteIfExists(fastRun);
            Files.deleteIfExists(slowRun);
        }
        assertThat(taken).as("dumps the byte path took").isGreaterThan(dumps / 10);
    }

    private static byte[] randomDump(Random random, boolean contract) throws IOException {
        return randomDump(random, contract, 6);
    }

    private static byte[] randomDump(Random random, boolean contract, int maxRows) throws IOException {
        var out = new ByteArrayOutputStream();
        if (random.nextInt(10) == 0) {
            out.write("\uFEFF".getBytes(StandardCharsets.UTF_8));
        }
        out.write((contract ? "id,owner,balance,note,at" : "id,owner,note").getBytes(StandardCharsets.UTF_8));
        out.write(random.nextBoolean() ? "\n".getBytes() : "\r\n".getBytes());
        int rows = random.nextInt(maxRows);
        int fields = contract ? 5 : 3;
        for (int r = 0; r < rows; r++) {
            if (random.nextInt(8) == 0) {
                out.write('\n');
            }
            int count = random.nextInt(12) == 0 ? fields + random.nextInt(3) - 1 : fields;
            for (int f = 0; f < count; f++) {
                if (f > 0) {
                    out.write(',');
                }
                String value;
                if (f == 0) {
                    value = random.nextInt(15) == 0 ? "" : random.nextInt(10) == 0 ? " " + r + " " : String.valueOf(r % 4 == 3 && random.nextBoolean() ? 0 : r);
                    if (contract && random.nextInt(8) == 0) {
                        value = INTEGERS[random.nextInt(INTEGERS.length)];
                    }
                } else if (f == 2 && contract) {
                    value = random.nextInt(3) == 0 ? r + ".25" : DECIMALS[random.nextInt(DECIMALS.length)];
                } else if (f == 4 && contract) {
                    value = TIMESTAMPS[random.nextInt(TIMESTAMPS.length)];
                } else {
                    var text = new StringBuilder();
                    for (int i = random.nextInt(3); i > 0; i--) {
                        text.append(PIECES[random.nextInt(PIECES.length)]);
                    }
                    value = text.toString();
                }
                boolean quote = random.nextInt(3) == 0 || value.contains(",") || value.contains("\n") || value.contains("\r")
                        || value.startsWith("\"");
                if (quote && random.nextInt(20) != 0) {
                    value = "\"" + value.replace("\"", "\"\"") + "\"" + (random.nextInt(30) == 0 ? "tail" : "");
                }
                out.write(value.getBytes(StandardCharsets.UTF_8));
                if (random.nextInt(200) == 0) {
                    out.write(0xC3); // cut UTF-8
                }
            }
            if (r < rows - 1 || random.nextBoolean()) {
                out.write(random.nextBoolean() ? "\n".getBytes() : random.nextBoolean() ? "\r\n".getBytes() : "\r".getBytes());
            }
        }
        return out.toByteArray();
    }

    private SnapshotSorter.Sorted fast(Path file, Schema contract, Path run) {
        return new SnapshotCsvBytes(List.of("id"), 4096, () -> false).sort(file, ',', '"', FileReaders.csvMappers(contract), run);
    }

    private SnapshotSorter.Sorted slow(Path file, Schema contract, Path run) {
        try (var reader = new CsvFileReader(file, StandardCharsets.UTF_8, ',', '"', true, FileReaders.csvMappers(contract))) {
            return new SnapshotSorter(List.of("id"), 4096, () -> false).sort(reader, file.getFileName().toString(), run, contract);
        }
    }

    private static List<Row> rows(Path run) {
        var rows = new ArrayList<Row>();
        try (var reader = SortedRunFile.open(run)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }
}
