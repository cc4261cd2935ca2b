package io.onramp.connect.source.file.read;

/**
 * One record read from an input file: its value, or why it could not be read. {@code position} counts the
 * data records of the file from 1 and is what the source offset stores; {@code line} is the physical line
 * the record starts on, for people.
 */
public sealed interface ReadResult {

    long position();

    long line();

    record Parsed(long position, long line, Object value) implements ReadResult {
    }

    record Malformed(long position, long line, String raw, String reason) implements ReadResult {
    }
}
