package io.onramp.connect.source.file.read;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.onramp.connect.core.change.FlatStructText;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.connect.errors.DataException;

/** Reads an RFC 4180 CSV file with FastCSV, one {@link ReadResult} per data row. */
public final class CsvFileReader implements FileRecordReader {

    private static final int MAX_RAW_LENGTH = 64 * 1024;

    private final Path file;
    private final Charset charset;
    private final char delimiter;
    private final char quote;
    private final CsvReader<CsvRecord> csv;
    private final Iterator<CsvRecord> rows;
    private final CsvRowMapper mapper;
    private long position;
    private long lastLine;

    public CsvFileReader(Path file, Charset charset, char delimiter, char quote, boolean header, CsvRowMapper.Factory mappers) {
        this.file = file;
        this.charset = charset;
        this.delimiter = delimiter;
        this.quote = quote;
        Reader reader = InputDecoding.open(file, charset);
        // Field counts are checked here rather than by FastCSV, so that a short row is a bad record
        // under on.bad.record instead of an exception that ends the whole file.
        this.csv = CsvReader.builder()
                .fieldSeparator(delimiter)
                .quoteCharacter(quote)
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowUnclosedQuote(false) // a quote open at the end of the file means the file was cut short
                .ofCsvRecord(reader);
        this.rows = csv.iterator();
        List<String> columns = null;
        if (header) {
            CsvRecord headerRow = nextRow();
            if (headerRow == null) {
                this.mapper = null; // empty file: no header, no records
                return;
            }
            columns = stripByteOrderMark(headerRow.getFields());
        }
        try {
            this.mapper = mappers.forColumns(columns);
        } catch (DataException e) {
            throw new UnreadableFileException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public org.apache.kafka.connect.data.Schema schema() {
        return mapper == null ? null : mapper.schema();
    }

    @Override
    public ReadResult next() {
        return read(null);
    }

    /**
     * Like {@link #next()}, but a parsed row's value is its canonical texts, {@code text.toTexts} of the Struct
     * that {@link #next()} would return, for snapshot mode; bad rows are reported the same way.
     */
    public ReadResult nextTexts(FlatStructText text) {
        return read(text);
    }

    private ReadResult read(FlatStructText text) {
        if (mapper == null) {
            return null;
        }
        CsvRecord row = nextRow();
        if (row == null) {
            return null;
        }
        position++;
        List<String> fields = row.getFields();
        if (fields.size() != mapper.columnCount()) {
            return new ReadResult.Malformed(position, row.getStartingLineNumber(), raw(fields),
                    "expected " + mapper.columnCount() + " columns but found " + fields.size());
        }
        try {
            Object value = text == null ? mapper.toValue(fields) : mapper.toTexts(fields, text);
            return new ReadResult.Parsed(position, row.getStartingLineNumber(), value);
        } catch (DataException e) {
            return new ReadResult.Malformed(position, row.getStartingLineNumber(), raw(fields), e.getMessage());
        }
    }

    private CsvRecord nextRow() {
        try {
            if (!rows.hasNext()) {
                return null;
            }
            CsvRecord row = rows.next();
            lastLine = row.getStartingLineNumber();
            return row;
        } catch (CsvParseException e) {
            throw new UnreadableFileException(file.getFileName() + " after line " + lastLine + ": "
                    + e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
        } catch (UncheckedIOException e) {
            throw InputDecoding.failure(file, lastLine + 1, e.getCause(), charset);
        }
    }

    private static List<String> stripByteOrderMark(List<String> header) {
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            var copy = new java.util.ArrayList<>(header);
            copy.set(0, header.get(0).substring(1));
            return copy;
        }
        return header;
    }

    /** The row written back as CSV: FastCSV does not keep the raw text, and this is equivalent to it. */
    private String raw(List<String> fields) {
        var out = new StringWriter();
        try (CsvWriter writer = CsvWriter.builder().fieldSeparator(delimiter).quoteCharacter(quote)
                .lineDelimiter(LineDelimiter.LF).build(out)) {
            writer.writeRecord(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String raw = out.toString();
        raw = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
        return raw.length() > MAX_RAW_LENGTH ? raw.substring(0, MAX_RAW_LENGTH) : raw;
    }

    @Override
    public void close() {
        try {
            csv.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
