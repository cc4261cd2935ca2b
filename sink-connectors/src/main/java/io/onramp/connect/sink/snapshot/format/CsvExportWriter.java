package io.onramp.connect.sink.snapshot.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV through FastCSV: a header line of the column names, then one line per row with the columns in that order.
 * Values are written as text: strings as they are, numbers as their exact decimal text, booleans as
 * {@code true}/{@code false}, nested objects and arrays as JSON text; a null or absent value is an empty field,
 * an empty string is a quoted empty field ({@code ""}), so the two stay apart. Characters the charset cannot
 * encode become its replacement character (usually {@code ?}).
 */
public final class CsvExportWriter implements ExportWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CsvWriter csv;
    private final OutputStreamWriter writer;
    private final List<String> columns;
    private final boolean header;
    private final Map<String, Integer> index = new HashMap<>();
    private final JsonFactory factory = JSON.getFactory();
    private final String[] values;
    private long rows;

    /**
     * @param columns   the header, and which value goes in which column; fields of a row not listed are left out
     * @param delimiter field separator
     * @param crlf      CRLF line ends (RFC 4180) instead of LF
     */
    public CsvExportWriter(OutputStream out, Charset charset, char delimiter, boolean header, boolean crlf,
                           List<String> columns) {
        var encoder = charset.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.writer = new OutputStreamWriter(out, encoder);
        this.csv = CsvWriter.builder().fieldSeparator(delimiter).quoteStrategy(QuoteStrategies.EMPTY)
                .lineDelimiter(crlf ? LineDelimiter.CRLF : LineDelimiter.LF).bufferSize(64 * 1024).build(writer);
        this.columns = List.copyOf(columns);
        this.header = header;
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        this.values = new String[columns.size()];
    }

    @Override
    public void begin() {
        if (header) {
            csv.writeRecord(columns);
        }
    }

    @Override
    public void write(String rowJson) throws IOException {
        Arrays.fill(values, null);
        try (JsonParser parser = factory.createParser(rowJson)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("An export row is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Integer column = index.get(parser.currentName());
                JsonToken token = parser.nextToken();
                if (column == null) {
                    parser.skipChildren();
                    continue;
                }
                values[column] = switch (token) {
                    case VALUE_NULL -> null;
                    case START_OBJECT, START_ARRAY -> JSON.writeValueAsString(parser.readValueAsTree());
                    default -> parser.getText();
                };
            }
        }
        csv.writeRecord(values);
        rows++;
    }

    @Override
    public void finish() throws IOException {
        csv.flush();
        writer.flush();
    }

    @Override
    public long rows() {
        return rows;
    }
}
