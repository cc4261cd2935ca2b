package io.onramp.connect.sink.snapshot;

import io.onramp.connect.core.config.ConfigValidators;
import io.onramp.connect.core.contract.ContractConfig;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Typed access to the snapshot export sink's settings; {@link #CONFIG_DEF} is the one list of its keys. */
public final class SnapshotExportSinkConfig extends AbstractConfig {

    public static final String PATH = "export.path";
    public static final String FORMAT = "export.format";
    public static final String FILE_NAME = "export.file.name";
    public static final String DATE_FORMAT = "export.file.date.format";
    public static final String SCHEDULE = "export.schedule";
    public static final String TIMEZONE = "export.schedule.timezone";
    public static final String KEY_FIELDS = "export.key.fields";
    public static final String DONE_MARKER = "export.done.marker";
    public static final String STATE_DIR = "export.state.dir";
    public static final String SORT_MEMORY_BYTES = "export.sort.memory.bytes";
    public static final String CSV_DELIMITER = "csv.delimiter";
    public static final String CSV_CHARSET = "csv.charset";
    public static final String CSV_HEADER = "csv.header";
    public static final String CSV_LINE_DELIMITER = "csv.line.delimiter";
    public static final String AVRO_CODEC = "avro.codec";

    static final String TOPIC_TOKEN = "${topic}";
    static final String DATE_TOKEN = "${date}";
    static final String FORMAT_TOKEN = "${format}";

    private static final String EXPORT_GROUP = "Export";
    private static final String STATE_GROUP = "State";
    private static final String CSV_GROUP = "CSV";

    public static final ConfigDef CONFIG_DEF = define();

    private static ConfigDef define() {
        var def = new ConfigDef();
        int order = 0;
        def.define(PATH, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigValidators.writableDirectory(), Importance.HIGH,
                "Directory the snapshot files, their manifests and .done markers are written to. Files appear there"
                        + " only complete: each is written under a hidden temporary name and renamed.",
                EXPORT_GROUP, ++order, Width.LONG, "Export directory");
        def.define(FORMAT, Type.STRING, "csv", ConfigDef.CaseInsensitiveValidString.in("csv", "jsonl", "avro"),
                Importance.HIGH, "File format: 'csv' (header line, " + CSV_CHARSET + ", " + CSV_DELIMITER + "), 'jsonl'"
                        + " (one JSON object per line, UTF-8) or 'avro' (an Avro object container file with the"
                        + " contract's schema; needs contract.file or contract.dir).",
                EXPORT_GROUP, ++order, Width.SHORT, "Format");
        def.define(FILE_NAME, Type.STRING, "${topic}-${date}.${format}", fileNameValidator(), Importance.HIGH,
                "Name of each snapshot file: ${topic} is the topic, ${date} the scheduled time of the export in "
                        + DATE_FORMAT + " (in " + TIMEZONE + "), ${format} the format's extension (csv, jsonl, avro)."
                        + " Without ${date} every export replaces the previous file of its topic.",
                EXPORT_GROUP, ++order, Width.LONG, "File name");
        def.define(DATE_FORMAT, Type.STRING, "yyyyMMdd-HHmmss", ConfigValidators.dateTimePattern(), Importance.MEDIUM,
                "java.time pattern of ${date} in " + FILE_NAME + ", e.g. yyyyMMdd for one file a day.",
                EXPORT_GROUP, ++order, Width.SHORT, "Date format");
        def.define(SCHEDULE, Type.STRING, "0 2 * * *", scheduleValidator(), Importance.HIGH,
                "When to write a snapshot: a five-field cron expression (minute hour day-of-month month day-of-week,"
                        + " e.g. '0 2 * * *' for 02:00 every day) in " + TIMEZONE + ", or an ISO-8601 interval such as"
                        + " 'PT1H' (every full hour since the epoch). An export runs on the task's thread within"
                        + " offset.flush.interval.ms of its time; after downtime, one export catches up the missed"
                        + " ticks at start.",
                EXPORT_GROUP, ++order, Width.MEDIUM, "Schedule");
        def.define(TIMEZONE, Type.STRING, "UTC", zoneValidator(), Importance.MEDIUM,
                "Time zone of cron schedules and of ${date} in file names, e.g. UTC or Europe/Paris.",
                EXPORT_GROUP, ++order, Width.SHORT, "Time zone");
        def.define(KEY_FIELDS, Type.LIST, "", Importance.HIGH,
                "Fields of the row that identify it; a tombstone's key is then read from the record key (a Struct"
                        + " or map holding these fields, or the single field's value). Empty: the contract's"
                        + " onramp.keyFields when a contract is set, otherwise the whole record key.",
                EXPORT_GROUP, ++order, Width.MEDIUM, "Key fields");
        def.define(DONE_MARKER, Type.BOOLEAN, false, Importance.MEDIUM,
                "Also write an empty '<file>.done' once the file and its manifest are in place, for consumers"
                        + " that wait for a marker.",
                EXPORT_GROUP, ++order, Width.SHORT, ".done marker");
        def.define(AVRO_CODEC, Type.STRING, "null", ConfigDef.CaseInsensitiveValidString.in("null", "deflate"),
                Importance.LOW, "Block compression of Avro files: 'null' (none) or 'deflate'.",
                EXPORT_GROUP, ++order, Width.SHORT, "Avro codec");
        order = 0;
        def.define(STATE_DIR, Type.STRING, "", Importance.MEDIUM,
                "Directory of the local state store (latest row per key, on disk). Empty: '.onramp-state' inside "
                        + PATH + ". The task resumes from it after a restart; if it is lost, the task re-reads its"
                        + " topics from the beginning, so a product topic should be compacted or keep its history.",
                STATE_GROUP, ++order, Width.LONG, "State directory");
        def.define(SORT_MEMORY_BYTES, Type.LONG, 32L * 1024 * 1024, ConfigDef.Range.atLeast(1024 * 1024),
                Importance.LOW, "Heap the export may use to sort the changes of a period; more is spilled to"
                        + " sorted runs in the state directory, so the number of keys is bounded by disk, not heap.",
                STATE_GROUP, ++order, Width.SHORT, "Sort memory");
        order = 0;
        def.define(CSV_DELIMITER, Type.STRING, ",", ConfigValidators.singleCharacter(), Importance.MEDIUM,
                "Field separator of CSV files: one character, or \\t for tab.",
                CSV_GROUP, ++order, Width.SHORT, "Delimiter");
        def.define(CSV_CHARSET, Type.STRING, "UTF-8", ConfigValidators.charset(), Importance.MEDIUM,
                "Character set of CSV files, e.g. UTF-8, ISO-8859-1, windows-1252. Characters it cannot encode are"
                        + " written as its replacement character.",
                CSV_GROUP, ++order, Width.SHORT, "Charset");
        def.define(CSV_HEADER, Type.BOOLEAN, true, Importance.MEDIUM,
                "Whether CSV files start with a header line of the column names (the contract's fields in order,"
                        + " or the fields in the order first seen).",
                CSV_GROUP, ++order, Width.SHORT, "Header");
        def.define(CSV_LINE_DELIMITER, Type.STRING, "lf", ConfigDef.CaseInsensitiveValidString.in("lf", "crlf"),
                Importance.LOW, "Line ends of CSV files: 'lf' or 'crlf' (RFC 4180).",
                CSV_GROUP, ++order, Width.SHORT, "Line delimiter");
        ContractConfig.define(def);
        return def;
    }

    public SnapshotExportSinkConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public Path exportPath() {
        return Path.of(getString(PATH));
    }

    public String format() {
        return getString(FORMAT).toLowerCase(Locale.ROOT);
    }

    public String fileNamePattern() {
        return getString(FILE_NAME);
    }

    public DateTimeFormatter dateFormat() {
        return DateTimeFormatter.ofPattern(getString(DATE_FORMAT)).withZone(timezone());
    }

    ExportSchedule schedule() {
        return ExportSchedule.parse(getString(SCHEDULE), timezone());
    }

    public ZoneId timezone() {
        return ZoneId.of(getString(TIMEZONE));
    }

    public List<String> keyFields() {
        return getList(KEY_FIELDS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean doneMarker() {
        return getBoolean(DONE_MARKER);
    }

    public String avroCodec() {
        return getString(AVRO_CODEC).toLowerCase(Locale.ROOT);
    }

    public Path stateDir() {
        String dir = getString(STATE_DIR);
        return dir == null || dir.isBlank() ? exportPath().resolve(".onramp-state") : Path.of(dir);
    }

    public long sortMemoryBytes() {
        return getLong(SORT_MEMORY_BYTES);
    }

    public char csvDelimiter() {
        return ConfigValidators.toCharacter(getString(CSV_DELIMITER));
    }

    public Charset csvCharset() {
        return Charset.forName(getString(CSV_CHARSET));
    }

    public boolean csvHeader() {
        return getBoolean(CSV_HEADER);
    }

    public boolean csvCrlf() {
        return "crlf".equalsIgnoreCase(getString(CSV_LINE_DELIMITER));
    }

    /** The file name of an export of {@code topic} scheduled at {@code time}. */
    public String fileName(String topic, java.time.Instant time) {
        return fileNamePattern().replace(TOPIC_TOKEN, topic).replace(DATE_TOKEN, dateFormat().format(time))
                .replace(FORMAT_TOKEN, format());
    }

    private static ConfigDef.Validator fileNameValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String s = value == null ? "" : value.toString();
                if (s.isBlank()) {
                    throw new ConfigException(name, value, "'" + name + "' must name the export files, e.g. "
                            + "${topic}-${date}.${format}");
                }
                if (s.contains("/") || s.contains("\\") || s.startsWith(".")) {
                    throw new ConfigException(name, value, "'" + name + "' must be a plain file name (no directory"
                            + " separators, not starting with '.'); the directory is " + PATH);
                }
            }

            @Override
            public String toString() {
                return "a file name with ${topic}, ${date} and ${format}";
            }
        };
    }

    private static ConfigDef.Validator scheduleValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    ExportSchedule.parse(value == null ? null : value.toString(), ZoneId.of("UTC"));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, "'" + name + "' is not a schedule: " + e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "a cron expression (e.g. 0 2 * * *) or an ISO-8601 interval (e.g. PT1H)";
            }
        };
    }

    private static ConfigDef.Validator zoneValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    ZoneId.of(value == null ? "" : value.toString());
                } catch (java.time.DateTimeException e) {
                    throw new ConfigException(name, value, "'" + name + "' is not a time zone such as UTC or Europe/Paris");
                }
            }

            @Override
            public String toString() {
                return "a time zone id (UTC, Europe/Paris, ...)";
            }
        };
    }
}
