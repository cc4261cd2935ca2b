package io.onramp.connect.source.file.read;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.apache.kafka.connect.errors.DataException;

/**
 * Reads a fixed-width file: one record per line, cut into fields by a {@link FixedWidthLayout}.
 *
 * <p>Lines end with {@code \n}, {@code \r\n} or NEL ({@code U+0085}, which is what EBCDIC code pages such as
 * IBM037 decode their newline byte 0x15 to); empty lines are skipped. Files without any line terminator, as
 * mainframe extracts often are, are read with a {@code recordLength}: every record is exactly that many
 * characters, and a shorter last record is a truncated file's bad record. A record shorter than the layout, or
 * with a value that does not fit its type, is a {@link ReadResult.Malformed} naming the column (its
 * {@code line} is the physical line, or the record's number in a file of fixed-length records).
 */
public final class FixedWidthFileReader implements RawTextReader {

    /** No fixed record length: records end at line terminators. */
    static final int LINE_TERMINATED = 0;

    private static final int MAX_RAW_LENGTH = 64 * 1024;
    private static final char NEL = '\u0085';

    private final Path file;
    private final Charset charset;
    private final Reader in;
    private final FixedWidthLayout layout;
    private final int recordLength;
    private final char[] buffer = new char[64 * 1024];
    private int bufferEnd;
    private int bufferPos;
    private boolean atStart = true;
    private long position;
    private long lineNumber;
    private String lastRecord;

    FixedWidthFileReader(Path file, Charset charset, FixedWidthLayout layout, int recordLength) {
        if (recordLength != LINE_TERMINATED && recordLength < layout.minRecordLength()) {
            throw new UnreadableFileException(file.getFileName() + ": the record length " + recordLength
                    + " is shorter than the layout, which needs " + layout.minRecordLength() + " characters");
        }
        this.file = file;
        this.charset = charset;
        this.layout = layout;
        this.recordLength = recordLength;
        this.in = InputDecoding.open(file, charset);
    }

    @Override
    public ReadResult next() {
        String record = recordLength == LINE_TERMINATED ? nextLine() : nextFixedRecord();
        if (record == null) {
            return null;
        }
        position++;
        lastRecord = record;
        try {
            if (recordLength != LINE_TERMINATED && record.length() < recordLength) {
                throw new DataException("the record is " + record.length() + " characters long but records are "
                        + recordLength + " (truncated file?)");
            }
            return new ReadResult.Parsed(position, lineNumber, layout.toStruct(record));
        } catch (DataException e) {
            // The task puts the file name and line in front of the reason, as for every format.
            return new ReadResult.Malformed(position, lineNumber, raw(record), e.getMessage());
        }
    }

    @Override
    public String lastRecordText() {
        return lastRecord;
    }

    /** The next non-empty line without its terminator, or null at the end of the file. */
    private String nextLine() {
        var line = new StringBuilder(Math.max(16, layout.minRecordLength()));
        while (true) {
            int c = read();
            if (c < 0) {
                if (line.length() == 0) {
                    return null;
                }
                lineNumber++;
                return line.toString();
            }
            if (c == '\n' || c == NEL || (c == '\r' && peek() == '\n')) {
                if (c == '\r') {
                    read();
                }
                lineNumber++;
                if (line.length() > 0) {
                    return line.toString();
                }
                continue; // an empty line is no record
            }
            line.append((char) c);
        }
    }

    /** The next {@code recordLength} characters (fewer only at the end of the file), or null at the end. */
    private String nextFixedRecord() {
        var record = new StringBuilder(recordLength);
        int c;
        while (record.length() < recordLength && (c = read()) >= 0) {
            record.append((char) c);
        }
        if (record.length() == 0) {
            return null;
        }
        lineNumber++;
        return record.toString();
    }

    private int read() {
        if (!fill()) {
            return -1;
        }
        return buffer[bufferPos++];
    }

    private int peek() {
        return fill() ? buffer[bufferPos] : -1;
    }

    private boolean fill() {
        if (bufferPos < bufferEnd) {
            return true;
        }
        try {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            bufferPos = 0;
            bufferEnd = n;
            if (atStart) {
                atStart = false;
                if (buffer[0] == '\uFEFF') {
                    bufferPos = 1; // a UTF byte order mark is not data
                    return fill();
                }
            }
            return true;
        } catch (IOException e) {
            throw InputDecoding.failure(file, lineNumber + 1, e, charset);
        }
    }

    private static String raw(String record) {
        return record.length() > MAX_RAW_LENGTH ? record.substring(0, MAX_RAW_LENGTH) : record;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public org.apache.kafka.connect.data.Schema schema() {
        return layout.schema();
    }
}
