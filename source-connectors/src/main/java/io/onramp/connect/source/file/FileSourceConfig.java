package io.onramp.connect.source.file;

import io.onramp.connect.core.config.ConfigValidators;
import io.onramp.connect.source.file.read.FixedWidthLayout;
import io.onramp.connect.source.file.read.HeaderTrailerRules;
import io.onramp.connect.source.file.snapshot.SnapshotOrder;
import io.onramp.connect.source.snapshot.SnapshotKeys;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Typed view of the file source's configuration, and the {@link ConfigDef} that documents it. */
public class FileSourceConfig extends AbstractConfig {

    public static final String TOPIC = "topic";
    public static final String INPUT_PATH = "input.path";
    public static final String INPUT_FILE_PATTERN = "input.file.pattern";
    public static final String INPUT_FORMAT = "input.format";
    public static final String INPUT_CHARSET = "input.charset";
    public static final String FILE_MIN_AGE_MS = "file.min.age.ms";
    public static final String FILE_READY_MARKER_SUFFIX = "file.ready.marker.suffix";
    public static final String FINISHED_PATH = "finished.path";
    public static final String ERROR_PATH = "error.path";
    public static final String CSV_DELIMITER = "csv.delimiter";
    public static final String CSV_QUOTE = "csv.quote";
    public static final String CSV_HEADER = "csv.header";
    public static final String CONTRACT_FILE = "contract.file";
    public static final String FIXED_LAYOUT = "fixed.layout";
    public static final String FIXED_RECORD_LENGTH = "fixed.record.length";
    public static final String HEADER_LINES = "header.lines";
    public static final String TRAILER_PATTERN = "trailer.pattern";
    public static final String TRAILER_REQUIRED = "trailer.required";
    public static final String ON_BAD_RECORD = "on.bad.record";
    public static final String QUARANTINE_TOPIC = "quarantine.topic";
    public static final String MODE = "mode";
    public static final String BATCH_SIZE = "batch.size";
    public static final String OUTPUT_FORMAT = SnapshotKeys.OUTPUT_FORMAT;
    public static final String SNAPSHOT_KEY_FIELDS = SnapshotKeys.KEY_FIELDS;
    public static final String SNAPSHOT_IGNORE_FIELDS = SnapshotKeys.IGNORE_FIELDS;
    public static final String SNAPSHOT_ARCHIVE_PATH = SnapshotKeys.ARCHIVE_PATH;
    public static final String SNAPSHOT_TABLE = "snapshot.table";
    public static final String SNAPSHOT_ORDER = "snapshot.order";
    public static final String SNAPSHOT_DATE_PATTERN = "snapshot.date.pattern";
    public static final String SNAPSHOT_DATE_FORMAT = "snapshot.date.format";
    public static final String SNAPSHOT_ALLOW_PARTIAL = "snapshot.allow.partial";
    public static final String SNAPSHOT_SORT_MEMORY_BYTES = SnapshotKeys.SORT_MEMORY_BYTES;
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";

    private static final String GROUP_INPUT = "Input";
    private static final String GROUP_FORMAT = "Format";
    private static final String GROUP_OUTPUT = "Output";
    private static final String GROUP_ERRORS = "Bad records";
    private static final String GROUP_SNAPSHOT = "Snapshot mode";

    public static final ConfigDef CONFIG_DEF = configDef();

    public FileSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        crossCheck();
    }

    private static ConfigDef configDef() {
        int order = 0;
        var def = new ConfigDef();
        def.define(INPUT_PATH, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigValidators.writableDirectory(), Importance.HIGH,
                "Directory the connector takes files from (the spool directory). It must be on storage every worker "
                        + "sees, and readable and writable by the worker, because taken files are moved out of it.",
                GROUP_INPUT, ++order, Width.LONG, "Input directory");
        def.define(INPUT_FILE_PATTERN, Type.STRING, "", ConfigValidators.regex(), Importance.MEDIUM,
                "Java regular expression a file name must match entirely to be taken. Empty means by format: "
                        + "'.*\\.csv' for csv, '.*\\.jsonl?' for jsonl, '.*\\.(txt|dat)' for fixed.",
                GROUP_INPUT, ++order, Width.MEDIUM, "File name pattern");
        def.define(FILE_MIN_AGE_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "A file is taken only after its size and modification time stayed unchanged for this many "
                        + "milliseconds, so a file still being written is never read early. Ignored when "
                        + "'" + FILE_READY_MARKER_SUFFIX + "' is set.",
                GROUP_INPUT, ++order, Width.SHORT, "Minimum file age (ms)");
        def.define(FILE_READY_MARKER_SUFFIX, Type.STRING, "", Importance.MEDIUM,
                "When set (e.g. '.done' or '.ok'), a file is taken only once a companion marker file named "
                        + "<file name><suffix> exists; the marker is moved along with the file.",
                GROUP_INPUT, ++order, Width.SHORT, "Ready marker suffix");
        def.define(FINISHED_PATH, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigValidators.writableDirectory(), Importance.HIGH,
                "Directory a file is moved to once every record read from it has been committed to Kafka.",
                GROUP_INPUT, ++order, Width.LONG, "Finished directory");
        def.define(ERROR_PATH, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigValidators.writableDirectory(), Importance.HIGH,
                "Directory an unreadable or rejected file is moved to, next to a '<file name>.error.txt' file "
                        + "that gives the reason.",
                GROUP_INPUT, ++order, Width.LONG, "Error directory");
        def.define(MODE, Type.STRING, "append", ConfigDef.CaseInsensitiveValidString.in("append", "snapshot"), Importance.HIGH,
                "'append': every record of every file is one event. 'snapshot': every file is a full dump of one "
                        + "table; it is diffed by key against the previous dump and only the inserts, updates and "
                        + "deletes are emitted (see the '" + GROUP_SNAPSHOT + "' group).",
                GROUP_INPUT, ++order, Width.SHORT, "Mode");

        order = 0;
        def.define(INPUT_FORMAT, Type.STRING, "csv", ConfigDef.CaseInsensitiveValidString.in("csv", "jsonl", "fixed"), Importance.HIGH,
                "Format of the input files: 'csv' (RFC 4180), 'jsonl' (JSON Lines, one object per line) or 'fixed' "
                        + "(fixed-width records cut by '" + FIXED_LAYOUT + "' or the contract's onramp.fixed.* field properties).",
                GROUP_FORMAT, ++order, Width.SHORT, "Format");
        def.define(INPUT_CHARSET, Type.STRING, "UTF-8", ConfigValidators.charset(), Importance.MEDIUM,
                "Character set of the input files, e.g. UTF-8, ISO-8859-1, windows-1252. Bytes that are not "
                        + "valid in this charset make the file unreadable (error directory), never silently replaced.",
                GROUP_FORMAT, ++order, Width.SHORT, "Charset");
        def.define(CSV_DELIMITER, Type.STRING, ",", ConfigValidators.singleCharacter(), Importance.MEDIUM,
                "Field delimiter of CSV files: one character, or '\\t' for tab.",
                GROUP_FORMAT, ++order, Width.SHORT, "CSV delimiter");
        def.define(CSV_QUOTE, Type.STRING, "\"", ConfigValidators.singleCharacter(), Importance.LOW,
                "Quote character of CSV files.",
                GROUP_FORMAT, ++order, Width.SHORT, "CSV quote");
        def.define(CSV_HEADER, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether the first row of a CSV file is a header naming the columns. Without a header, "
                        + "'" + CONTRACT_FILE + "' is required and columns are taken in the contract's field order.",
                GROUP_FORMAT, ++order, Width.SHORT, "CSV header row");
        def.define(CONTRACT_FILE, Type.STRING, "", ConfigValidators.optionalReadableFile(), Importance.HIGH,
                "Avro schema file (.avsc) of the data product. When set, values are typed and checked against it "
                        + "(CSV columns are matched by header name); when empty, CSV values are optional strings "
                        + "named by the header and JSON Lines values are schemaless maps.",
                GROUP_FORMAT, ++order, Width.LONG, "Contract file");

        def.define(FIXED_LAYOUT, Type.STRING, "", FixedWidthLayout.validator(), Importance.MEDIUM,
                "Columns of fixed-width records, comma-separated, each name:start:length:type[:optional][:notrim] "
                        + "(start is 1-based; types string, int, long, double, boolean, decimal(scale), "
                        + "decimal(scale)-implied, date, date(pattern), timestamp, timestamp(pattern)). Empty: taken "
                        + "from the contract's onramp.fixed.start/length/trim/impliedDecimals/pattern field properties.",
                GROUP_FORMAT, ++order, Width.LONG, "Fixed-width layout");
        def.define(FIXED_RECORD_LENGTH, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                "0: one fixed-width record per line (\\n, \\r\\n or EBCDIC NEL). N > 0: the file has no line "
                        + "terminators and every record is N characters.",
                GROUP_FORMAT, ++order, Width.SHORT, "Fixed record length");
        def.define(HEADER_LINES, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Records skipped at the start of each file (after the CSV column-header row when csv.header=true).",
                GROUP_FORMAT, ++order, Width.SHORT, "Header records");
        def.define(TRAILER_PATTERN, Type.STRING, "", HeaderTrailerRules.trailerPatternValidator(), Importance.MEDIUM,
                "Regular expression searched for in the last record (anchor it with ^). When it matches, the record "
                        + "is a trailer and its group 1 the expected count of data records; a different count moves "
                        + "the file to the error directory (in snapshot mode the dump is not applied).",
                GROUP_FORMAT, ++order, Width.MEDIUM, "Trailer pattern");
        def.define(TRAILER_REQUIRED, Type.BOOLEAN, false, Importance.LOW,
                "Whether a file whose last record is not a trailer is rejected (catches truncated files). Needs '"
                        + TRAILER_PATTERN + "'.",
                GROUP_FORMAT, ++order, Width.SHORT, "Trailer required");

        order = 0;
        def.define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                ConfigDef.CompositeValidator.of(new ConfigDef.NonEmptyString(), ConfigValidators.topicName()), Importance.HIGH,
                "Topic the records are written to.",
                GROUP_OUTPUT, ++order, Width.MEDIUM, "Topic");
        def.define(BATCH_SIZE, Type.INT, 1000, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                "Maximum number of records returned by one poll.",
                GROUP_OUTPUT, ++order, Width.SHORT, "Batch size");
        def.define(POLL_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(10), Importance.LOW,
                "How long a task waits before looking at the input directory again when it found nothing to read.",
                GROUP_OUTPUT, ++order, Width.SHORT, "Poll interval (ms)");

        order = 0;
        def.define(SNAPSHOT_KEY_FIELDS, Type.LIST, "", Importance.HIGH,
                "Snapshot mode: the fields that identify a row (the table's primary key), comma-separated. A row "
                        + "with an empty key field is a bad record; two rows with the same key reject the snapshot.",
                GROUP_SNAPSHOT, ++order, Width.MEDIUM, "Key fields");
        def.define(SNAPSHOT_IGNORE_FIELDS, Type.LIST, "", Importance.MEDIUM,
                "Snapshot mode: fields left out when deciding whether a row changed, e.g. an export timestamp column.",
                GROUP_SNAPSHOT, ++order, Width.MEDIUM, "Ignored fields");
        def.define(SNAPSHOT_ARCHIVE_PATH, Type.STRING, "", ConfigValidators.writableDirectory(), Importance.HIGH,
                "Snapshot mode: directory where the last applied snapshot of the table is kept, sorted, for the next "
                        + "diff (files named after the connector and the table, so connectors may share it). Put it on "
                        + "the same storage as the input, so that any worker can take over. It must not be, contain "
                        + "or lie inside '" + INPUT_PATH + "', '" + FINISHED_PATH + "' or '" + ERROR_PATH + "'.",
                GROUP_SNAPSHOT, ++order, Width.LONG, "Archive directory");
        def.define(SNAPSHOT_TABLE, Type.STRING, "", new TableName(), Importance.LOW,
                "Snapshot mode: name of the table, used for the archive files and the source partition. Empty means "
                        + "the topic name.",
                GROUP_SNAPSHOT, ++order, Width.MEDIUM, "Table name");
        def.define(SNAPSHOT_ORDER, Type.STRING, "name", ConfigDef.CaseInsensitiveValidString.in("name", "date"), Importance.MEDIUM,
                "Snapshot mode: order the snapshots are applied in: 'name' (file name order) or 'date' (a date in "
                        + "the file name, see '" + "snapshot.date.pattern" + "'). A snapshot that sorts before the last "
                        + "applied one goes to the error directory.",
                GROUP_SNAPSHOT, ++order, Width.SHORT, "Snapshot order");
        def.define(SNAPSHOT_DATE_PATTERN, Type.STRING, "(\\d{8})", ConfigValidators.regex(), Importance.LOW,
                "Snapshot mode with order 'date': regular expression whose first group finds the date in the file name.",
                GROUP_SNAPSHOT, ++order, Width.MEDIUM, "Date in file name");
        def.define(SNAPSHOT_DATE_FORMAT, Type.STRING, "yyyyMMdd", ConfigValidators.dateTimePattern(), Importance.LOW,
                "Snapshot mode with order 'date': java.time.format.DateTimeFormatter pattern of that date.",
                GROUP_SNAPSHOT, ++order, Width.SHORT, "Date format");
        def.define(SNAPSHOT_ALLOW_PARTIAL, Type.BOOLEAN, false, Importance.MEDIUM,
                "Snapshot mode: whether a dump with bad rows may still be applied without them. Off by default, "
                        + "because the rows left out would be diffed as deletes: the whole snapshot is rejected.",
                GROUP_SNAPSHOT, ++order, Width.SHORT, "Allow partial snapshots");
        def.define(SNAPSHOT_SORT_MEMORY_BYTES, Type.LONG, SnapshotKeys.DEFAULT_SORT_MEMORY_BYTES, ConfigDef.Range.atLeast(1024 * 1024), Importance.LOW,
                "Snapshot mode: heap the external sort may use before it spills sorted runs to disk. A dump read on "
                        + "two threads gives each half of it. Its arrays stay softly reachable after a sort, for the "
                        + "next dump to reuse: the JVM frees them when it needs the heap, or once unused for a while.",
                GROUP_SNAPSHOT, ++order, Width.SHORT, "Sort memory (bytes)");
        def.define(OUTPUT_FORMAT, Type.STRING, SnapshotKeys.ENVELOPE,
                ConfigDef.CaseInsensitiveValidString.in(SnapshotKeys.ENVELOPE, SnapshotKeys.STATE),
                Importance.HIGH,
                "Snapshot mode: 'envelope' emits change events (before, after, op, ts_ms, source), compatible with "
                        + "Debezium's envelope; 'state' emits the row as the value and a tombstone for a delete, "
                        + "for compacted topics. Either way the key holds the key fields.",
                GROUP_SNAPSHOT, ++order, Width.SHORT, "Output format");

        order = 0;
        def.define(ON_BAD_RECORD, Type.STRING, "fail", ConfigDef.CaseInsensitiveValidString.in("fail", "skip", "quarantine"),
                Importance.HIGH,
                "What a malformed record (wrong column count, a value that does not fit the contract, invalid JSON) "
                        + "does: 'fail' moves the file to the error directory with the reason and fails the task "
                        + "(records before it are sent, nothing after it is; with transaction.boundary=connector the "
                        + "whole file's transaction is aborted); 'skip' counts it and logs it at WARN; "
                        + "'quarantine' writes the raw record to the quarantine topic with the error in headers.",
                GROUP_ERRORS, ++order, Width.SHORT, "On bad record");
        def.define(QUARANTINE_TOPIC, Type.STRING, "", ConfigValidators.topicName(), Importance.MEDIUM,
                "Topic for quarantined records. Empty means '<topic>.quarantine'.",
                GROUP_ERRORS, ++order, Width.MEDIUM, "Quarantine topic");
        return def;
    }

    private void crossCheck() {
        if (inputFormat() == InputFormat.CSV && !csvHeader() && contractFile() == null) {
            throw new ConfigException(CSV_HEADER, false,
                    "'" + CSV_HEADER + "' is false, so '" + CONTRACT_FILE + "' must name the contract that gives the columns");
        }
        if (getBoolean(TRAILER_REQUIRED) && getString(TRAILER_PATTERN).isBlank()) {
            throw new ConfigException(TRAILER_REQUIRED, true, "'" + TRAILER_REQUIRED + "' needs '" + TRAILER_PATTERN + "'");
        }
        if (inputFormat() == InputFormat.FIXED) {
            fixedLayout(); // throws a ConfigException naming the column at fault
        }
        if (mode() == Mode.SNAPSHOT) {
            if (snapshotKeyFields().isEmpty()) {
                throw new ConfigException(SNAPSHOT_KEY_FIELDS, "", "'" + SNAPSHOT_KEY_FIELDS
                        + "' must name the key fields when '" + MODE + "' is snapshot");
            }
            if (getString(SNAPSHOT_ARCHIVE_PATH).isBlank()) {
                throw new ConfigException(SNAPSHOT_ARCHIVE_PATH, "", "'" + SNAPSHOT_ARCHIVE_PATH
                        + "' must name a directory when '" + MODE + "' is snapshot");
            }
            if (inputFormat() == InputFormat.JSONL) {
                throw new ConfigException(INPUT_FORMAT, "jsonl", "'" + INPUT_FORMAT
                        + "' jsonl is not supported in snapshot mode: snapshot rows must be flat (csv)");
            }
            if (snapshotAllowPartial() && badRecordPolicy() == BadRecordPolicy.FAIL) {
                throw new ConfigException(SNAPSHOT_ALLOW_PARTIAL, true, "'" + SNAPSHOT_ALLOW_PARTIAL + "' is true but '"
                        + ON_BAD_RECORD + "' is fail, which rejects a dump at its first bad row: set '" + ON_BAD_RECORD
                        + "' to skip or quarantine to apply dumps without their bad rows, or leave '"
                        + SNAPSHOT_ALLOW_PARTIAL + "' false");
            }
            for (String ignored : snapshotIgnoreFields()) {
                if (snapshotKeyFields().contains(ignored)) {
                    throw new ConfigException(SNAPSHOT_IGNORE_FIELDS, ignored, "'" + SNAPSHOT_IGNORE_FIELDS + "' names the key field '"
                            + ignored + "' of '" + SNAPSHOT_KEY_FIELDS + "': a key field identifies the row, it cannot be ignored");
                }
            }
        }
        if (badRecordPolicy() == BadRecordPolicy.QUARANTINE && quarantineTopic().equals(topic())) {
            throw new ConfigException(QUARANTINE_TOPIC, getString(QUARANTINE_TOPIC), "'" + QUARANTINE_TOPIC
                    + "' must differ from '" + TOPIC + "': bad records would be mixed with the data product");
        }
        for (String key : new String[] {FINISHED_PATH, ERROR_PATH}) {
            if (Paths.get(getString(key)).toAbsolutePath().normalize().equals(inputPath())) {
                throw new ConfigException(key, getString(key), "'" + key + "' must differ from '" + INPUT_PATH + "'");
            }
        }
    }

    /**
     * In snapshot mode, why {@link #SNAPSHOT_ARCHIVE_PATH} shares a directory or a directory tree with the input,
     * finished or error directory; null when it does not. The connector's validate() reports it as an error, so no
     * new or edited config gets it; a task only warns, because connectors configured so before this rule keep working
     * (failing them at start would be worse than the risk the warning names).
     */
    public String archiveOverlap() {
        if (mode() != Mode.SNAPSHOT) {
            return null;
        }
        String overlap = archiveOverlap(INPUT_PATH, "the archive's sorted runs and pointers would sit among the input "
                + "files, or the input among the archive's");
        for (String key : new String[] {FINISHED_PATH, ERROR_PATH}) {
            if (overlap == null) {
                overlap = archiveOverlap(key, "whatever clears out the files moved there would remove the archived "
                        + "snapshot, and the next dump would be emitted in full");
            }
        }
        return overlap;
    }

    private String archiveOverlap(String key, String why) {
        Path archive = resolved(getString(SNAPSHOT_ARCHIVE_PATH));
        Path other = resolved(getString(key));
        if (archive.startsWith(other) || other.startsWith(archive)) {
            return "'" + SNAPSHOT_ARCHIVE_PATH + "' must not be, contain or lie inside '" + key + "': " + why;
        }
        return null;
    }

    /** The directory as the file system finds it (symbolic links followed), or as written when it does not exist. */
    private static Path resolved(String path) {
        Path absolute = Paths.get(path).toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (java.io.IOException e) {
            return absolute; // the directory's own validator reports a missing one
        }
    }

    /**
     * {@link #SNAPSHOT_TABLE}: a name that stays one file name inside the archive directory, since the archive's
     * files of earlier versions were named after the table alone (and still are looked up so, see
     * SnapshotArchive#adopt). Only what cannot name a file there is refused (separators, control characters, '.'
     * and '..'): any name that worked in an earlier version keeps working, since it is also the source partition.
     */
    static final class TableName implements ConfigDef.Validator {
        private static final Pattern LEGAL = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,200}");

        @Override
        public void ensureValid(String name, Object value) {
            String table = value == null ? "" : value.toString();
            if (table.isEmpty()) {
                return; // the topic name, legal by its own validator
            }
            if (!LEGAL.matcher(table).matches() || table.equals(".") || table.equals("..")) {
                throw new ConfigException(name, value, "'" + name + "' may not hold '/', '\\' or control characters, "
                        + "be longer than 200 characters, or be '.' or '..': it names the table's files in '"
                        + SNAPSHOT_ARCHIVE_PATH + "'");
            }
        }

        @Override
        public String toString() {
            return "no '/', '\\' or control characters, not '.' or '..', at most 200 characters; empty for the topic name";
        }
    }

    public String topic() {
        return getString(TOPIC);
    }

    public Path inputPath() {
        return Paths.get(getString(INPUT_PATH)).toAbsolutePath().normalize();
    }

    public Pattern filePattern() {
        String pattern = getString(INPUT_FILE_PATTERN);
        if (pattern.isEmpty()) {
            pattern = switch (inputFormat()) {
                case CSV -> ".*\\.csv";
                case JSONL -> ".*\\.jsonl?";
                case FIXED -> ".*\\.(txt|dat)";
            };
        }
        return Pattern.compile(pattern);
    }

    public InputFormat inputFormat() {
        return InputFormat.valueOf(getString(INPUT_FORMAT).toUpperCase(Locale.ROOT));
    }

    public Charset charset() {
        return Charset.forName(getString(INPUT_CHARSET));
    }

    public long fileMinAgeMs() {
        return getLong(FILE_MIN_AGE_MS);
    }

    public String readyMarkerSuffix() {
        return getString(FILE_READY_MARKER_SUFFIX);
    }

    public Path finishedPath() {
        return Paths.get(getString(FINISHED_PATH));
    }

    public Path errorPath() {
        return Paths.get(getString(ERROR_PATH));
    }

    public char csvDelimiter() {
        return ConfigValidators.toCharacter(getString(CSV_DELIMITER));
    }

    public char csvQuote() {
        return ConfigValidators.toCharacter(getString(CSV_QUOTE));
    }

    public boolean csvHeader() {
        return getBoolean(CSV_HEADER);
    }

    public Path contractFile() {
        String file = getString(CONTRACT_FILE);
        return file.isBlank() ? null : Paths.get(file);
    }

    public BadRecordPolicy badRecordPolicy() {
        return BadRecordPolicy.valueOf(getString(ON_BAD_RECORD).toUpperCase(Locale.ROOT));
    }

    public String quarantineTopic() {
        String topic = getString(QUARANTINE_TOPIC);
        return topic.isEmpty() ? topic() + io.onramp.connect.core.QuarantineHeaders.DEFAULT_TOPIC_SUFFIX : topic;
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long pollIntervalMs() {
        return getLong(POLL_INTERVAL_MS);
    }

    public Mode mode() {
        return Mode.valueOf(getString(MODE).toUpperCase(Locale.ROOT));
    }

    public java.util.List<String> snapshotKeyFields() {
        return getList(SNAPSHOT_KEY_FIELDS);
    }

    public java.util.List<String> snapshotIgnoreFields() {
        return getList(SNAPSHOT_IGNORE_FIELDS);
    }

    public Path snapshotArchivePath() {
        return Paths.get(getString(SNAPSHOT_ARCHIVE_PATH));
    }

    public String snapshotTable() {
        String table = getString(SNAPSHOT_TABLE);
        return table.isBlank() ? topic() : table;
    }

    public SnapshotOrder snapshotOrder() {
        return "date".equalsIgnoreCase(getString(SNAPSHOT_ORDER))
                ? SnapshotOrder.byDate(Pattern.compile(getString(SNAPSHOT_DATE_PATTERN)), getString(SNAPSHOT_DATE_FORMAT))
                : SnapshotOrder.byName();
    }

    public boolean snapshotAllowPartial() {
        return getBoolean(SNAPSHOT_ALLOW_PARTIAL);
    }

    public long snapshotSortMemoryBytes() {
        return getLong(SNAPSHOT_SORT_MEMORY_BYTES);
    }

    public boolean stateOutput() {
        return SnapshotKeys.STATE.equalsIgnoreCase(getString(OUTPUT_FORMAT));
    }

    public enum Mode { APPEND, SNAPSHOT }

    public FixedWidthLayout fixedLayout() {
        try {
            return FixedWidthLayout.from(getString(FIXED_LAYOUT), contractFile());
        } catch (ConfigException e) {
            throw new ConfigException(FIXED_LAYOUT, getString(FIXED_LAYOUT), "'" + FIXED_LAYOUT + "': " + e.getMessage());
        }
    }

    public int fixedRecordLength() {
        return getInt(FIXED_RECORD_LENGTH);
    }

    public HeaderTrailerRules headerTrailerRules() {
        return HeaderTrailerRules.of(getInt(HEADER_LINES), getString(TRAILER_PATTERN), getBoolean(TRAILER_REQUIRED));
    }

    public enum InputFormat { CSV, JSONL, FIXED }

    public enum BadRecordPolicy { FAIL, SKIP, QUARANTINE }
}
