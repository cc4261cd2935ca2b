package io.onramp.connect.source.file.read;

import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The envelope around the data records of a file: {@code headerRecords} leading records to skip, and an
 * optional trailer, the file's last record when it matches {@code trailerPattern}, whose group 1 is the count
 * of data records the file should hold.
 *
 * @param headerRecords records skipped at the start of the file (after a CSV column-header row, if any)
 * @param trailerPattern searched for in the last record's text (anchor it with {@code ^}); null for no trailer
 * @param trailerRequired whether a file whose last record is not a trailer fails (a truncated file would
 *     otherwise pass unnoticed)
 */
public record HeaderTrailerRules(int headerRecords, Pattern trailerPattern, boolean trailerRequired) {

    static final HeaderTrailerRules NONE = new HeaderTrailerRules(0, null, false);

    public HeaderTrailerRules {
        if (headerRecords < 0) {
            throw new ConfigException("the number of header records cannot be negative: " + headerRecords);
        }
        if (trailerRequired && trailerPattern == null) {
            throw new ConfigException("a trailer is required but no trailer pattern is set");
        }
        if (trailerPattern != null && trailerPattern.matcher("").groupCount() < 1) {
            throw new ConfigException("the trailer pattern '" + trailerPattern + "' needs a group that captures the "
                    + "record count, e.g. ^TRL(\\d{9})");
        }
    }

    /** Rules from configuration values; a blank pattern means no trailer. */
    public static HeaderTrailerRules of(int headerRecords, String trailerPattern, boolean trailerRequired) {
        Pattern pattern = trailerPattern == null || trailerPattern.isBlank() ? null : Pattern.compile(trailerPattern);
        return new HeaderTrailerRules(headerRecords, pattern, trailerRequired);
    }

    public boolean isNone() {
        return headerRecords == 0 && trailerPattern == null;
    }

    /** The reader itself when there is nothing to do, else a {@link HeaderTrailerReader} around it. */
    FileRecordReader wrap(FileRecordReader reader, Path file) {
        return isNone() ? reader : new HeaderTrailerReader(reader, file, this);
    }

    /** A validator for the trailer pattern key: a regular expression with at least one capturing group, or empty. */
    public static ConfigDef.Validator trailerPatternValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null || value.toString().isBlank()) {
                    return;
                }
                Pattern pattern;
                try {
                    pattern = Pattern.compile(value.toString());
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(name, value, "'" + name + "' is not a valid regular expression: " + e.getDescription());
                }
                if (pattern.matcher("").groupCount() < 1) {
                    throw new ConfigException(name, value, "'" + name + "' needs a group that captures the record count, "
                            + "e.g. ^TRL(\\d{9})");
                }
            }

            @Override
            public String toString() {
                return "a Java regular expression whose group 1 captures the record count, or empty";
            }
        };
    }
}
