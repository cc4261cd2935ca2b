package io.onramp.connect.core.diff;

import io.onramp.connect.core.sort.CloseableIterator;
import io.onramp.connect.core.sort.Row;
import io.onramp.connect.core.sort.RowCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * A diff run to its end first, its events kept in a file, then handed out one by one. For a caller that must
 * know the whole diff succeeded before it emits its first event: a snapshot's new rows are checked for
 * duplicate keys only as they stream through the join, so an event must not leave before the last row has
 * passed. The file holds only the events (with their rows), not the unchanged rows, and is deleted on close.
 *
 * <p>Each event is one header record {@code [op, key values...]}, then its before row (not for inserts and
 * reads), then its after row (not for deletes), in {@link RowCodec}'s form.
 */
public final class SpooledDiff implements ChangeStream, CloseableIterator<ChangeEvent> {

    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final DiffSummary summary;
    private final RowCodec.Reader reader;
    /** The events in this file. */
    private final long events;
    /** The events that follow this file's, in files of their own (a diff spooled in key ranges); or null. */
    private final SpooledDiff rest;
    private long read;

    private SpooledDiff(Path file, DiffSummary summary, long events) throws IOException {
        this.file = file;
        this.summary = summary;
        this.events = events;
        this.rest = null;
        this.reader = new RowCodec.Reader(new BufferedInputStream(Files.newInputStream(file), BUFFER), file.toString());
    }

    private SpooledDiff(SpooledDiff first, SpooledDiff rest) {
        this.file = first.file;
        this.reader = first.reader;
        this.events = first.events;
        this.read = first.read;
        this.rest = rest;
        this.summary = first.summary.plus(rest.summary);
    }

    /**
     * The events of {@code first}, then those of {@code then}: one diff run in two key ranges, the lower range
     * first. Closing the result closes both.
     */
    public static SpooledDiff concat(SpooledDiff first, SpooledDiff then) {
        if (first.rest != null) {
            return new SpooledDiff(first, concat(first.rest, then));
        }
        return new SpooledDiff(first, then);
    }

    /**
     * Pulls {@code diff} to its end, writing its events to {@code file} (created or replaced), and returns them
     * to be read back. When the diff fails, the file is deleted and the failure thrown as it was.
     */
    public static SpooledDiff spool(ChangeStream diff, Path file) {
        long events = 0;
        try {
            try (var out = new RowCodec.Writer(new BufferedOutputStream(Files.newOutputStream(file), BUFFER))) {
                while (diff.hasNext()) {
                    write(out, diff.next());
                    events++;
                }
            }
            return new SpooledDiff(file, diff.summary(), events);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("Cannot spool the diff's events to " + file, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void write(RowCodec.Writer out, ChangeEvent event) throws IOException {
        var header = new String[event.key().size() + 1];
        header[0] = event.op().name();
        for (int i = 0; i < event.key().size(); i++) {
            header[i + 1] = event.key().get(i);
        }
        out.write(Row.of(0, header));
        if (event.before() != null) {
            out.write(event.before());
        }
        if (event.after() != null) {
            out.write(event.after());
        }
    }

    /** What the diff found; final from the start, since the diff has run to its end. */
    @Override
    public DiffSummary summary() {
        return summary;
    }

    /** How many events the diff found. */
    public long events() {
        return events + (rest == null ? 0 : rest.events());
    }

    @Override
    public boolean hasNext() {
        return read < events || (rest != null && rest.hasNext());
    }

    @Override
    public ChangeEvent next() {
        if (read >= events && rest != null) {
            return rest.next();
        }
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            Row header = reader.read();
            ChangeEvent.Op op = ChangeEvent.Op.valueOf(header.get(0));
            var key = Arrays.asList(header.values().subList(1, header.size()).toArray(new String[0]));
            Row before = op == ChangeEvent.Op.INSERT || op == ChangeEvent.Op.READ ? null : reader.read();
            Row after = op == ChangeEvent.Op.DELETE ? null : reader.read();
            read++;
            return new ChangeEvent(op, key, before, after);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the diff's events back from " + file, e);
        }
    }

    /** Closes and deletes the file (and those of the events that follow). */
    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
            if (rest != null) {
                rest.close();
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover spool is removed with the archive's other leftovers on the next start
        }
    }
}
