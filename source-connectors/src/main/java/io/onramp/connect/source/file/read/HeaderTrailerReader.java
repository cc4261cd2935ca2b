package io.onramp.connect.source.file.read;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.kafka.connect.data.Struct;

/**
 * Applies {@link HeaderTrailerRules} to any reader: drops the header records, and holds back one record so
 * that it knows which is the last; at the end of the file, a last record matching the trailer pattern is
 * checked against the count of data records read and dropped. A count that differs (or a missing trailer, when
 * one is required) makes the whole file unreadable.
 *
 * <p>Positions are renumbered so that data records still count from 1. The trailer text is the record's raw
 * text when the reader keeps it ({@link RawTextReader}: fixed-width), else the raw text of a malformed record
 * (a CSV trailer usually has fewer columns than the data, so it is one), else the text of a parsed record's
 * first field.
 *
 * <p>The check can only happen at the end: in append mode the data records before it have been delivered by
 * then, and the file still goes to the error directory; in snapshot mode nothing of the file is applied.
 */
public final class HeaderTrailerReader implements FileRecordReader {

    private final FileRecordReader reader;
    private final RawTextReader rawText;
    private final Path file;
    private final HeaderTrailerRules rules;
    private boolean started;
    private ReadResult held;
    private String heldText;
    private long dataRecords;

    HeaderTrailerReader(FileRecordReader reader, Path file, HeaderTrailerRules rules) {
        this.reader = reader;
        this.rawText = reader instanceof RawTextReader raw ? raw : null;
        this.file = file;
        this.rules = rules;
    }

    @Override
    public ReadResult next() {
        if (!started) {
            started = true;
            for (int i = 0; i < rules.headerRecords(); i++) {
                if (reader.next() == null) {
                    return null; // nothing but (part of) a header: no records, and no trailer to check
                }
            }
            if (!hold()) {
                return end(null);
            }
        }
        if (held == null) {
            return null;
        }
        ReadResult current = held;
        String currentText = heldText;
        if (rules.trailerPattern() == null) {
            hold();
            return renumber(current);
        }
        if (!hold()) {
            return end(new Trailer(current, currentText));
        }
        return renumber(current);
    }

    /** Reads the next record into {@code held}; false at the end of the file. */
    private boolean hold() {
        held = reader.next();
        heldText = held == null ? null : text(held);
        return held != null;
    }

    private record Trailer(ReadResult record, String text) {
    }

    /** At the end of the file: checks the last record against the trailer rules; returns it if it is data. */
    private ReadResult end(Trailer last) {
        held = null;
        if (rules.trailerPattern() == null) {
            return last == null ? null : renumber(last.record());
        }
        Matcher matcher = last == null ? null : rules.trailerPattern().matcher(last.text());
        if (matcher == null || !matcher.find()) {
            if (rules.trailerRequired()) {
                throw new UnreadableFileException(file.getFileName() + ": "
                        + (last == null ? "the file has no records, so no trailer" : "the last record (line "
                        + last.record().line() + ") is not a trailer")
                        + " matching '" + rules.trailerPattern() + "'; the file may be truncated");
            }
            return last == null ? null : renumber(last.record());
        }
        String count = matcher.group(1);
        long expected;
        try {
            expected = Long.parseLong(count == null ? "" : count.strip());
        } catch (NumberFormatException e) {
            throw new UnreadableFileException(file.getFileName() + ": the trailer on line " + last.record().line()
                    + " gives the record count '" + count + "', which is not a number");
        }
        if (expected != dataRecords) {
            throw new UnreadableFileException(file.getFileName() + ": the trailer on line " + last.record().line()
                    + " says " + expected + " records but " + dataRecords + " were read");
        }
        return null;
    }

    private ReadResult renumber(ReadResult result) {
        dataRecords++;
        long position = result.position() - rules.headerRecords();
        if (result instanceof ReadResult.Malformed bad) {
            return new ReadResult.Malformed(position, bad.line(), bad.raw(), bad.reason());
        }
        return new ReadResult.Parsed(position, result.line(), ((ReadResult.Parsed) result).value());
    }

    private String text(ReadResult result) {
        if (rawText != null) {
            return rawText.lastRecordText();
        }
        if (result instanceof ReadResult.Malformed bad) {
            return bad.raw();
        }
        Object value = ((ReadResult.Parsed) result).value();
        Object first = null;
        if (value instanceof Struct struct && !struct.schema().fields().isEmpty()) {
            first = struct.get(struct.schema().fields().get(0));
        } else if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            first = map.values().iterator().next();
        }
        return first == null ? "" : first.toString();
    }

    @Override
    public void close() {
        reader.close();
    }

    @Override
    public org.apache.kafka.connect.data.Schema schema() {
        return reader.schema();
    }
}
