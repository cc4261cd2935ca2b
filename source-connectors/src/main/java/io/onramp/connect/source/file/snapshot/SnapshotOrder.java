package io.onramp.connect.source.file.snapshot;

import io.onramp.connect.source.file.FileSourceConfig;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order snapshots of one table are applied in: by file name, or by a date taken from the file name.
 * An order key is text that sorts the same way (ISO dates do).
 */
public final class SnapshotOrder {

    private final Pattern datePattern;
    private final DateTimeFormatter dateFormat;

    private SnapshotOrder(Pattern datePattern, DateTimeFormatter dateFormat) {
        this.datePattern = datePattern;
        this.dateFormat = dateFormat;
    }

    public static SnapshotOrder byName() {
        return new SnapshotOrder(null, null);
    }

    /** @param datePattern a regex whose first group holds the date; @param format its {@link DateTimeFormatter} pattern */
    public static SnapshotOrder byDate(Pattern datePattern, String format) {
        return new SnapshotOrder(datePattern, DateTimeFormatter.ofPattern(format));
    }

    /** @throws IllegalArgumentException when the file name carries no date in the configured form */
    String keyOf(String fileName) {
        if (datePattern == null) {
            return fileName;
        }
        Matcher matcher = datePattern.matcher(fileName);
        if (!matcher.find() || matcher.groupCount() < 1) {
            throw new IllegalArgumentException("file name does not match '" + FileSourceConfig.SNAPSHOT_DATE_PATTERN
                    + "' (" + datePattern + ")");
        }
        try {
            TemporalAccessor parsed = dateFormat.parseBest(matcher.group(1), LocalDateTime::from, LocalDate::from);
            String iso = parsed instanceof LocalDateTime dateTime ? dateTime.toString() : parsed + "T00:00";
            // The name breaks ties between two files of the same date.
            return iso + " " + fileName;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + matcher.group(1) + "' in the file name is not a date of format '"
                    + FileSourceConfig.SNAPSHOT_DATE_FORMAT + "'", e);
        }
    }
}
