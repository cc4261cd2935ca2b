package io.onramp.connect.source.file.snapshot;

import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.read.CsvFileReader;
import io.onramp.connect.source.file.read.FileRecordReader;
import io.onramp.connect.source.file.read.ReadResult;
import io.onramp.connect.source.file.read.UnreadableFileException;
import io.onramp.connect.source.snapshot.SortCancelledException;
import io.onramp.connect.source.snapshot.SortedRuns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads one full dump, checks every row (types, non-empty key, unique key) and writes it sorted by key to a
 * run file in the archive, with a bounded amount of heap. Bad rows are collected for the caller to decide on:
 * a dump with rejected rows must not be diffed as if those rows had been deleted.
 */
public final class SnapshotSorter {

    private static final int KEPT_BAD_ROWS = 100;

    private final List<String> keyFields;
    private final long memoryBytes;
    private final java.util.function.BooleanSupplier stopping;

    /** @param stopping when it turns true, the sort ends with {@link SortCancelledException} */
    SnapshotSorter(List<String> keyFields, long memoryBytes, java.util.function.BooleanSupplier stopping) {
        this.keyFields = keyFields;
        this.memoryBytes = memoryBytes;
        this.stopping = stopping;
    }

    /**
     * @param fallbackSchema the row schema when the file itself names none (an empty dump without a header)
     * @throws UnreadableFileException for a duplicate key, a missing key column, or an unreadable file
     */
    Sorted sort(FileRecordReader reader, String fileName, Path run, Schema fallbackSchema) {
        Schema schema = reader.schema() != null ? reader.schema() : fallbackSchema;
        var rows = new RowsOf(reader, fileName);
        if (schema != null) {
            rows.use(schema);
        }
        // The schema may only be known from the first row (JSON), so peek before sorting.
        rows.hasNext();
        if (rows.text == null) {
            return new Sorted(null, null, 0, rows.bad, rows.badCount, 0);
        }
        var layout = new RowLayout(rows.text.columnNames());
        List<KeyColumn> key = keyFields.stream().map(KeyColumn::text).toList();
        try {
            long count = SortedRuns.write(rows, layout, key, run, memoryBytes, stopping);
            return new Sorted(run, rows.text, count, rows.bad, rows.badCount, rows.read);
        } catch (DuplicateKeyException e) {
            throw new UnreadableFileException(fileName + ": " + e.getMessage()
                    + "; a snapshot must hold each key once, so it was not applied", e);
        }
    }

    /** The dump's rows as text, the bad ones set aside. */
    private final class RowsOf implements Iterator<Row> {
        private final FileRecordReader reader;
        /** The reader when it can give canonical texts directly, without a Struct per row. */
        private final CsvFileReader csv;
        private final String fileName;
        private FlatStructText text;
        private int[] keyIndexes;
        private Row next;
        private boolean done;
        final List<ReadResult.Malformed> bad = new ArrayList<>();
        long badCount;
        long read;

        RowsOf(FileRecordReader reader, String fileName) {
            this.reader = reader;
            this.csv = reader instanceof CsvFileReader csvReader ? csvReader : null;
            this.fileName = fileName;
        }

        void use(Schema schema) {
            text = new FlatStructText(schema);
            keyIndexes = new int[keyFields.size()];
            List<String> columns = text.columnNames();
            for (int i = 0; i < keyIndexes.length; i++) {
                keyIndexes[i] = columns.indexOf(keyFields.get(i));
                if (keyIndexes[i] < 0) {
                    throw new UnreadableFileException(fileName + " has no key field '" + keyFields.get(i) + "' (fields: "
                            + columns + "; see '" + FileSourceConfig.SNAPSHOT_KEY_FIELDS + "')");
                }
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && !done) {
                ReadResult result = csv != null && text != null ? csv.nextTexts(text) : reader.next();
                if (result == null) {
                    done = true;
                } else {
                    read++;
                    SortCancelledException.checkEvery1024(read, stopping);
                    accept(result);
                }
            }
            return next != null;
        }

        private void accept(ReadResult result) {
            if (result instanceof ReadResult.Malformed malformed) {
                reject(malformed);
                return;
            }
            var parsed = (ReadResult.Parsed) result;
            List<String> values;
            if (parsed.value() instanceof Struct value) {
                if (text == null) {
                    use(value.schema());
                }
                values = text.toTexts(value);
            } else {
                @SuppressWarnings("unchecked")
                List<String> texts = (List<String>) parsed.value(); // from CsvFileReader.nextTexts
                values = texts;
            }
            for (int i = 0; i < keyIndexes.length; i++) {
                String keyValue = values.get(keyIndexes[i]);
                if (keyValue == null || keyValue.isEmpty()) {
                    reject(new ReadResult.Malformed(parsed.position(), parsed.line(), String.join(",", nullsAsEmpty(values)),
                            "key field '" + keyFields.get(i) + "' is empty"));
                    return;
                }
            }
            next = new Row(values, parsed.line());
        }

        private void reject(ReadResult.Malformed malformed) {
            badCount++;
            if (bad.size() < KEPT_BAD_ROWS) {
                bad.add(malformed);
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = next;
            next = null;
            return row;
        }
    }

    private static List<String> nullsAsEmpty(List<String> values) {
        return values.stream().map(value -> value == null ? "" : value).toList();
    }

    /** A dump written sorted to {@code run} (null when it had no schema and no rows at all). */
    record Sorted(Path run, FlatStructText text, long rows, List<ReadResult.Malformed> bad, long badCount, long read) {
    }
}
