package io.onramp.connect.source.file.read;

/**
 * A reader that can give the text of the record it returned last, exactly as the file had it (after decoding).
 * {@link HeaderTrailerReader} matches a trailer against it; for other readers it falls back to what the
 * {@link ReadResult} holds.
 */
public interface RawTextReader extends FileRecordReader {

    /** The text of the record the last {@link #next()} returned; undefined before the first or after the end. */
    String lastRecordText();
}
