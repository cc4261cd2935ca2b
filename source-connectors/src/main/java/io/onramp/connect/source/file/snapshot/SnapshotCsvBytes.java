package io.onramp.connect.source.file.snapshot;

import io.onramp.connect.core.change.FlatStructText;
import io.onramp.connect.core.diff.DiffOptions;
import io.onramp.connect.core.diff.SpooledDiff;
import io.onramp.connect.core.sort.CsvRowReader;
import io.onramp.connect.core.sort.DuplicateKeyException;
import io.onramp.connect.core.sort.EncodedRowIterator;
import io.onramp.connect.core.sort.KeyColumn;
import io.onramp.connect.core.sort.ReadAheadRows;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import io.onramp.connect.core.sort.RowLayout;
import io.onramp.connect.source.file.FileSourceConfig;
import io.onramp.connect.source.file.read.ContractRowMapper;
import io.onramp.connect.source.file.read.CsvRowMapper;
import io.onramp.connect.source.file.read.HeaderRowMapper;
import io.onramp.connect.source.snapshot.SnapshotArchive;
import io.onramp.connect.source.snapshot.SortCancelledException;
import io.onramp.connect.source.snapshot.SortedRuns;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The fast way to sort a UTF-8 CSV dump with a header into the archive: core's {@link CsvRowReader} reads it
 * straight into encoded rows, so no row becomes strings unless a contract must type it.
 *
 * <p>It is optimistic. It only handles dumps in which every row is good. At the first sign of anything else (a
 * wrong column count, an empty key, a value the contract rejects, bytes that are not UTF-8, a quote left open,
 * a duplicate key, an unusual header) it gives up and returns null, and the caller sorts the dump again with
 * {@link SnapshotSorter} on {@link CsvFileReader}. Every bad row, message and failure therefore comes from that
 * one path, unchanged; this class only has to agree with it on the texts of good rows.
 */
public final class SnapshotCsvBytes {

    /** How long the first half waits for the second to count the lines before the split (a few GB take seconds). */
    private static final long LINE_COUNT_WAIT_MINUTES = 10;

    /** Beyond these, FastCSV's own limits may apply: leave such dumps to it. */
    private static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final int MAX_COLUMNS = 4096;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final List<String> keyFields;
    private final long memoryBytes;
    private final java.util.function.BooleanSupplier stopping;
    /** Dumps from this size on are read in two halves; negative: as {@link ReadAheadRows#worthIt} says. */
    private long splitFromBytes = -1;

    /** @param stopping when it turns true, the sort ends with {@link SortCancelledException} */
    SnapshotCsvBytes(List<String> keyFields, long memoryBytes, java.util.function.BooleanSupplier stopping) {
        this.keyFields = keyFields;
        this.memoryBytes = memoryBytes;
        this.stopping = stopping;
    }

    /** Reads dumps of {@code bytes} or more in two halves, whatever their size (tests split small dumps). */
    SnapshotCsvBytes splittingFrom(long bytes) {
        this.splitFromBytes = bytes;
        return this;
    }

    /** True when the configured input can take this path: UTF-8 CSV with a header and no header/trailer rules. */
    static boolean applies(FileSourceConfig config) {
        char delimiter = config.csvDelimiter();
        char quote = config.csvQuote();
        return config.inputFormat() == FileSourceConfig.InputFormat.CSV
                && config.csvHeader()
                && config.headerTrailerRules().isNone()
                && StandardCharsets.UTF_8.equals(config.charset())
                && delimiter > 0 && delimiter < 0x80 && quote > 0 && quote < 0x80 && delimiter != quote
                && delimiter != '\n' && delimiter != '\r' && quote != '\n' && quote != '\r';
    }

    /** The dump sorted into {@code run}, or null when it must go the {@link SnapshotSorter} way (nothing kept). */
    SnapshotSorter.Sorted sort(Path file, char delimiter, char quote, CsvRowMapper.Factory mappers, Path run) {
        try (CsvRowReader csv = CsvRowReader.open(file, delimiter, quote, true)) {
            Plan plan = plan(csv, mappers);
            if (plan == null) {
                return null;
            }
            // Reading, checking and typing the dump run beside the sort, on a second core when there is one.
            long count = readsAhead(file)
                    ? SortedRuns.writeReadingAhead(plan.rows, plan.layout, plan.key, run, memoryBytes, stopping)
                    : SortedRuns.write(plan.rows, plan.layout, plan.key, run, memoryBytes, stopping);
            return new SnapshotSorter.Sorted(run, plan.text, count, List.of(), 0, plan.rows.read);
        } catch (GiveUp | DuplicateKeyException | org.apache.kafka.connect.errors.DataException e) {
            return null;
        } catch (SortCancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            return null; // unreadable, a quote left open, ...: the other path names the reason
        }
    }

    /**
     * The dump sorted into {@code run} and diffed against {@code previous} (the applied snapshot's run) in one
     * pass ({@link SortedRuns#writeAndDiff}): its rows are not read back from the run file. Null when the dump must
     * go the {@link SnapshotSorter} way, with nothing kept (no run, no events).
     */
    Diffed sortAndDiff(Path file, char delimiter, char quote, CsvRowMapper.Factory mappers, Path run, Path previous,
            DiffOptions options) {
        Split split = split(file);
        if (split != null) {
            try {
                return sortAndDiff(file, delimiter, quote, mappers, run, previous, options, split);
            } catch (SplitMissed e) {
                // The second half did not start where a record starts (or that could not be proven): read it whole.
                // Nothing was kept (SortedRuns keeps nothing of a failed sort).
            }
        }
        try (CsvRowReader csv = CsvRowReader.open(file, delimiter, quote, true)) {
            Plan plan = plan(csv, mappers);
            if (plan == null) {
                return null;
            }
            SortedRuns.Diffed diffed = SortedRuns.writeAndDiff(plan.rows, plan.layout, plan.key, run, memoryBytes,
                    stopping, readsAhead(file), previous, options, SnapshotArchive.eventsOf(run));
            return new Diffed(new SnapshotSorter.Sorted(run, plan.text, diffed.rows(), List.of(), 0, plan.rows.read),
                    diffed.oldLayout(), plan.layout, diffed.changes(), diffed.keyRanges());
        } catch (GiveUp | DuplicateKeyException | org.apache.kafka.connect.errors.DataException e) {
            return null;
        } catch (SortCancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            return null; // unreadable, a quote left open, ...: the other path names the reason
        }
    }

    /**
     * As above, the dump read in two halves on two threads, split at {@code split}. The first half must end exactly
     * where the second starts, on the line it starts on: then both read what one reader would have read, and
     * whatever fails is the dump's failure. Otherwise (the split fell inside a quoted field, or the first half
     * failed before proving it did not) this throws {@link SplitMissed}, with nothing kept.
     */
    private Diffed sortAndDiff(Path file, char delimiter, char quote, CsvRowMapper.Factory mappers, Path run,
            Path previous, DiffOptions options, Split split) {
        CsvRowReader head = null;
        SecondHalf tail = null;
        CheckedRows first = null;
        try {
            head = CsvRowReader.openPart(file, 0, split.offset(), 1, delimiter, quote, true);
            Plan plan = plan(head, mappers);
            if (plan == null) {
                return null;
            }
            tail = new SecondHalf(file, split, delimiter, quote, head.header(), mappers);
            first = plan.rows;
            first.endsOnLine = tail.firstLine;
            SortedRuns.Diffed diffed = SortedRuns.writeAndDiff(List.of(plan.rows, tail), plan.layout, plan.key,
                    run, memoryBytes, stopping, previous, options, SnapshotArchive.eventsOf(run));
            return new Diffed(new SnapshotSorter.Sorted(run, plan.text, diffed.rows(), List.of(), 0,
                    plan.rows.read + tail.read()), diffed.oldLayout(), plan.layout, diffed.changes(), diffed.keyRanges());
        } catch (SortCancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            if (first == null || !first.endedOnLine) {
                throw new SplitMissed();
            }
            return null; // both halves are the dump's own records: the other path names the reason
        } finally {
            closeQuietly(head);
            if (tail != null) {
                tail.close();
            }
        }
    }

    /**
     * The second half of a split dump. The thread that reads it first counts the lines before it (it must number
     * its lines from there), so that count runs beside the reading of the first half, not before it.
     */
    private final class SecondHalf implements EncodedRowIterator {
        final java.util.concurrent.CompletableFuture<Long> firstLine = new java.util.concurrent.CompletableFuture<>();
        private final Path file;
        private final Split split;
        private final char delimiter;
        private final char quote;
        private final List<String> header;
        private final CsvRowMapper.Factory mappers;
        private CsvRowReader csv;
        private CheckedRows rows;

        SecondHalf(Path file, Split split, char delimiter, char quote, List<String> header, CsvRowMapper.Factory mappers) {
            this.file = file;
            this.split = split;
            this.delimiter = delimiter;
            this.quote = quote;
            this.header = header;
            this.mappers = mappers;
        }

        @Override
        public boolean advanceEncoded() {
            if (rows == null) {
                long line;
                try {
                    line = linesBefore(file, split.offset()) + 1;
                    firstLine.complete(line);
                } catch (RuntimeException | Error e) {
                    firstLine.completeExceptionally(e);
                    throw e;
                }
                csv = CsvRowReader.openPart(file, split.offset(), split.size(), line, delimiter, quote, false);
                Plan plan = plan(header, csv, mappers);
                if (plan == null) {
                    throw new GiveUp(); // not for a header the first half took: only should the mapper disagree
                }
                rows = plan.rows;
            }
            return rows.advanceEncoded();
        }

        long read() {
            return rows == null ? 0 : rows.read;
        }

        @Override
        public byte[] encodedArray() {
            return rows.encodedArray();
        }

        @Override
        public int encodedOffset() {
            return rows.encodedOffset();
        }

        @Override
        public int encodedLength() {
            return rows.encodedLength();
        }

        @Override
        public RowCodec.Fields encodedFields() {
            return rows.encodedFields();
        }

        @Override
        public boolean hasNext() {
            throw new UnsupportedOperationException("encoded rows only");
        }

        @Override
        public Row next() {
            throw new NoSuchElementException("encoded rows only");
        }

        @Override
        public void close() {
            closeQuietly(csv);
        }
    }

    private static void closeQuietly(CsvRowReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (RuntimeException ignored) {
                // already done with it
            }
        }
    }

    /** Where a dump is split to be read on two threads, and the dump's size. */
    record Split(long offset, long size) {
    }

    /** The two halves of a dump did not meet at a record boundary. */
    private static final class SplitMissed extends RuntimeException {
        SplitMissed() {
            super(null, null, false, false);
        }
    }

    /**
     * Where a second thread may start reading {@code file}: just after the first LF past a little more than half
     * of it (the thread that reads the second half first counts the lines of the first, see {@link SecondHalf}:
     * it gets less to read). Null when the dump is too small to be worth it ({@link ReadAheadRows#worthIt}) or
     * has no such LF. Whether that LF ends a record (and is not inside a quoted field) is not known here: the
     * first half's reader proves it when it ends there.
     */
    Split split(Path file) {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            long size = channel.size();
            if (splitFromBytes < 0 ? !readsAhead(file) : size < splitFromBytes) {
                return null;
            }
            byte[] buffer = new byte[1 << 16];
            var wrapped = java.nio.ByteBuffer.wrap(buffer);
            long start = size / 2 + size / 32;
            channel.position(start);
            for (long at = start; ; ) {
                wrapped.clear();
                int n = channel.read(wrapped);
                if (n <= 0) {
                    return null;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        long offset = at + i + 1;
                        return offset < size ? new Split(offset, size) : null;
                    }
                }
                at += n;
            }
        } catch (java.io.IOException e) {
            return null; // the read itself names the problem
        }
    }

    /**
     * How many lines end in {@code file} before {@code offset}, counted as {@link CsvRowReader} counts them: CR,
     * LF and CRLF each end one.
     */
    static long linesBefore(Path file, long offset) {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            byte[] buffer = new byte[1 << 16];
            var wrapped = java.nio.ByteBuffer.wrap(buffer);
            long lines = 0;
            boolean crBefore = false;
            for (long at = 0; at < offset; ) {
                wrapped.clear();
                wrapped.limit((int) Math.min(buffer.length, offset - at));
                int n = channel.read(wrapped);
                if (n <= 0) {
                    throw new java.io.EOFException(file + " is shorter than " + offset + " bytes");
                }
                long crs = countBytes(buffer, n, CRS);
                lines += countBytes(buffer, n, LFS) + crs;
                if (crs > 0 || crBefore) {
                    // A CRLF ends one line, not two.
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n' && (i > 0 ? buffer[i - 1] == '\r' : crBefore)) {
                            lines--;
                        }
                    }
                }
                crBefore = buffer[n - 1] == '\r';
                at += n;
            }
            return lines;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /** How many of {@code a[0, n)} are the byte repeated in {@code pattern}; eight bytes at a time. */
    static long countBytes(byte[] a, int n, long pattern) {
        long count = 0;
        int p = 0;
        for (; p + 8 <= n; p += 8) {
            long x = (long) LONGS.get(a, p) ^ pattern;
            // High bit set exactly in each zero byte of x (no borrow between bytes).
            count += Long.bitCount(~(((x & LOW7) + LOW7) | x | LOW7));
        }
        byte b = (byte) pattern;
        for (; p < n; p++) {
            if (a[p] == b) {
                count++;
            }
        }
        return count;
    }

    /** A dump sorted into its run and diffed: the layouts of both sides, and the changes to hand out (and close). */
    record Diffed(SnapshotSorter.Sorted sorted, RowLayout oldLayout, RowLayout newLayout, SpooledDiff changes,
                  int keyRanges) {
    }

    private static boolean readsAhead(Path file) {
        try {
            return ReadAheadRows.worthIt(java.nio.file.Files.size(file));
        } catch (java.io.IOException e) {
            return false; // the read itself names the problem
        }
    }

    /** What the header and the mapper allow: null when this path does not apply to the dump. */
    private Plan plan(CsvRowReader csv, CsvRowMapper.Factory mappers) {
        return plan(csv.header(), csv, mappers);
    }

    /** As {@link #plan(CsvRowReader, CsvRowMapper.Factory)}, for the rows of {@code csv} under {@code header}. */
    private Plan plan(List<String> header, CsvRowReader csv, CsvRowMapper.Factory mappers) {
        if (header.isEmpty() || csv.textAfterClosingQuote() || csv.crInQuotedField()
                || header.stream().anyMatch(name -> name.indexOf('\uFFFD') >= 0)) {
            return null; // empty file, or a header that may not be UTF-8
        }
        CsvRowMapper mapper = mappers.forColumns(header);
        ContractRowMapper contract = null;
        if (mapper instanceof ContractRowMapper contractMapper) {
            if (!contractMapper.columnsInFieldOrder()) {
                return null;
            }
            contract = contractMapper;
        } else if (!(mapper instanceof HeaderRowMapper)) {
            return null;
        }
        var text = new FlatStructText(mapper.schema());
        List<String> columns = text.columnNames();
        if (columns.size() != mapper.columnCount() || columns.size() < 2 || columns.size() > MAX_COLUMNS) {
            return null;
        }
        int[] keyIndexes = new int[keyFields.size()];
        for (int i = 0; i < keyIndexes.length; i++) {
            keyIndexes[i] = columns.indexOf(keyFields.get(i));
            if (keyIndexes[i] < 0) {
                return null;
            }
        }
        List<KeyColumn> key = keyFields.stream().map(KeyColumn::text).toList();
        return new Plan(text, new RowLayout(columns), key,
                new CheckedRows(csv, columns.size(), keyIndexes, contract, stopping));
    }

    /** The dump's columns and key, and its rows checked (and typed) on their way to the sort. */
    private record Plan(FlatStructText text, RowLayout layout, List<KeyColumn> key, CheckedRows rows) {
    }

    /** Thrown inside the sort to leave this path. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }

    /** The reader's records, each checked as {@link SnapshotSorter} checks rows, and typed by the contract. */
    private static final class CheckedRows implements EncodedRowIterator {
        private final CsvRowReader csv;
        private final int columns;
        private final int[] keyIndexes;
        private final ContractRowMapper contract;
        private final RowCodec.Encoder encoder = new RowCodec.Encoder();
        private final RowCodec.Fields rewritten = new RowCodec.Fields();
        private final String[] texts;
        /** Per column, the values the contract's type lets through as they are, without parsing. */
        private final CanonicalBytes[] canonical;
        /** Per column of the current row, whether its bytes are kept as they are. */
        private final boolean[] kept;
        private byte[] array;
        private int offset;
        private int length;
        private RowCodec.Fields fields;
        private final java.util.function.BooleanSupplier stopping;
        long read;
        /** When set, the line the reader must end on (where the part after it starts): else it fails. */
        java.util.concurrent.Future<Long> endsOnLine;
        /** Whether the reader ended, and on {@link #endsOnLine}. */
        volatile boolean endedOnLine;

        CheckedRows(CsvRowReader csv, int columns, int[] keyIndexes, ContractRowMapper contract,
                java.util.function.BooleanSupplier stopping) {
            this.csv = csv;
            this.stopping = stopping;
            this.columns = columns;
            this.keyIndexes = keyIndexes;
            this.contract = contract;
            this.texts = new String[columns];
            this.kept = new boolean[columns];
            this.canonical = new CanonicalBytes[columns];
            for (int i = 0; contract != null && i < columns; i++) {
                canonical[i] = CanonicalBytes.of(contract.fieldSchema(i));
            }
        }

        @Override
        public boolean advanceEncoded() {
            if (!csv.advanceEncoded()) {
                if (endsOnLine != null) {
                    if (csv.line() != lineAfter(endsOnLine) || csv.textAfterClosingQuote() || csv.crInQuotedField()) {
                        throw new SplitMissed();
                    }
                    endedOnLine = true;
                }
                return false;
            }
            read++;
            SortCancelledException.checkEvery1024(read, stopping);
            byte[] a = csv.encodedArray();
            RowCodec.Fields f = csv.encodedFields();
            // Only strictly valid UTF-8 passes, as InputDecoding would let it through.
            if (f.count() != columns || csv.encodedLength() > MAX_RECORD_BYTES || csv.textAfterClosingQuote()
                    || csv.crInQuotedField() || !csv.wellFormedUtf8()) {
                throw new GiveUp();
            }
            array = a;
            offset = csv.encodedOffset();
            length = csv.encodedLength();
            fields = f;
            if (contract == null) {
                for (int index : keyIndexes) {
                    if (f.length(index) <= 0) {
                        throw new GiveUp();
                    }
                }
                return true;
            }
            boolean changed = false;
            for (int i = 0; i < columns; i++) {
                kept[i] = canonical[i].isCanonical(a, f.start(i), f.length(i));
                if (kept[i]) {
                    texts[i] = null; // kept as it is: already its own canonical text
                    continue;
                }
                String column = f.value(a, i);
                String canonical = contract.canonicalText(i, column);
                changed |= canonical != column && !Objects.equals(canonical, column);
                texts[i] = canonical;
            }
            for (int index : keyIndexes) {
                if (!kept[index] && (texts[index] == null || texts[index].isEmpty())) {
                    throw new GiveUp();
                }
            }
            if (changed) {
                String[] values = texts.clone();
                for (int i = 0; i < columns; i++) {
                    if (kept[i]) {
                        values[i] = f.value(a, i);
                    }
                }
                encoder.encode(new Row(Arrays.asList(values), f.line()));
                array = encoder.array();
                offset = 0;
                length = encoder.length();
                rewritten.scan(array, 0, length);
                fields = rewritten;
            }
            return true;
        }

        /**
         * The line the next part starts on, once its thread has counted it; -1 when it could not. The wait is bounded:
         * should the next part's thread die before it counts (it failed to allocate its sort buffer), this part gives
         * up the split (-1) instead of waiting for ever, and the sorter reports that thread's failure.
         */
        private static long lineAfter(java.util.concurrent.Future<Long> line) {
            try {
                return line.get(LINE_COUNT_WAIT_MINUTES, java.util.concurrent.TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public byte[] encodedArray() {
            return array;
        }

        @Override
        public int encodedOffset() {
            return offset;
        }

        @Override
        public int encodedLength() {
            return length;
        }

        @Override
        public RowCodec.Fields encodedFields() {
            return fields;
        }

        @Override
        public boolean hasNext() {
            throw new UnsupportedOperationException("encoded rows only");
        }

        @Override
        public Row next() {
            throw new NoSuchElementException("encoded rows only");
        }

        @Override
        public void close() {
            // the caller closes the reader
        }
    }
}
