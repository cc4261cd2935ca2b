package io.onramp.connect.core.config;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators shared by every Onramp plugin, so that one key means and checks the same everywhere. */
public final class ConfigValidators {

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_TOPIC_LENGTH = 249;

    private ConfigValidators() {
    }

    /** A directory that exists and that the worker can read and write (files are moved out of it). */
    public static ConfigDef.Validator writableDirectory() {
        return described("an existing directory, readable and writable by the worker", (name, value) -> {
            if (value == null || value.toString().isBlank()) {
                return; // required-ness is ConfigDef's job, with its own message
            }
            Path dir = Paths.get(value.toString());
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(name, value, "'" + name + "' must be an existing directory on every worker");
            }
            if (!Files.isReadable(dir) || !Files.isWritable(dir)) {
                throw new ConfigException(name, value, "'" + name + "' must be readable and writable by the Connect worker");
            }
        });
    }

    /** A regular file that exists and can be read, or nothing. */
    public static ConfigDef.Validator optionalReadableFile() {
        return described("a readable file", (name, value) -> {
            if (value == null || value.toString().isBlank()) {
                return;
            }
            Path file = Paths.get(value.toString());
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new ConfigException(name, value, "'" + name + "' must name a readable file on every worker");
            }
        });
    }

    /** A Java regular expression that compiles. */
    public static ConfigDef.Validator regex() {
        return described("a Java regular expression", (name, value) -> {
            if (value == null) {
                return;
            }
            try {
                Pattern.compile(value.toString());
            } catch (PatternSyntaxException e) {
                throw new ConfigException(name, value, "'" + name + "' is not a valid regular expression: " + e.getDescription());
            }
        });
    }

    /** A charset name the JVM supports, e.g. UTF-8, ISO-8859-1, windows-1252, IBM037. */
    public static ConfigDef.Validator charset() {
        return described("a charset supported by the JVM (UTF-8, ISO-8859-1, windows-1252, IBM037, ...)", (name, value) -> {
            if (value == null) {
                return;
            }
            boolean supported;
            try {
                supported = Charset.isSupported(value.toString());
            } catch (IllegalCharsetNameException e) {
                supported = false;
            }
            if (!supported) {
                throw new ConfigException(name, value, "'" + name + "' names a charset this JVM does not support");
            }
        });
    }

    /** A {@link java.time.format.DateTimeFormatter} pattern, e.g. yyyyMMdd. */
    public static ConfigDef.Validator dateTimePattern() {
        return described("a java.time DateTimeFormatter pattern", (name, value) -> {
            if (value == null) {
                return;
            }
            try {
                java.time.format.DateTimeFormatter.ofPattern(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "'" + name + "' is not a date-time pattern: " + e.getMessage());
            }
        });
    }

    /** A single character, also accepted as the escapes {@code \t} or the word {@code tab}. */
    public static ConfigDef.Validator singleCharacter() {
        return described("one character, or \\t", (name, value) -> {
            if (value == null) {
                return;
            }
            try {
                toCharacter(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "'" + name + "' must be exactly one character (or \\t / tab)");
            }
        });
    }

    public static char toCharacter(String value) {
        if ("\\t".equals(value) || "tab".equalsIgnoreCase(value)) {
            return '\t';
        }
        if (value.length() != 1) {
            throw new IllegalArgumentException("not a single character: " + value);
        }
        return value.charAt(0);
    }

    /** A topic name Kafka accepts: legal characters, at most 249 long, not "." or "..". */
    public static ConfigDef.Validator topicName() {
        return described("a legal Kafka topic name", (name, value) -> {
            if (value == null || value.toString().isEmpty()) {
                return;
            }
            String problem = topicNameProblem(value.toString());
            if (problem != null) {
                throw new ConfigException(name, value, "'" + name + "' is not a legal Kafka topic name: " + problem);
            }
        });
    }

    /**
     * A list that {@code parser} accepts: the parser the runtime reads the key with, so that what passes validate
     * is what runs. Its {@link IllegalArgumentException} becomes the key's error; {@code description} is shown in
     * docs and the REST API.
     */
    public static ConfigDef.Validator parsedList(String description, Consumer<List<String>> parser) {
        return described(description, (name, value) -> {
            if (value == null) {
                return;
            }
            try {
                @SuppressWarnings("unchecked")
                List<String> entries = (List<String>) value;
                parser.accept(entries);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "'" + name + "': " + e.getMessage() + ".");
            }
        });
    }

    /** A validator whose description (shown in docs and the REST API) is {@code description}. */
    private static ConfigDef.Validator described(String description, java.util.function.BiConsumer<String, Object> check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                check.accept(name, value);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    /** Why Kafka would refuse this topic name, or null when it is legal. */
    public static String topicNameProblem(String topic) {
        if (topic.equals(".") || topic.equals("..")) {
            return "'.' and '..' are reserved";
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            return "longer than " + MAX_TOPIC_LENGTH + " characters";
        }
        if (!LEGAL_TOPIC.matcher(topic).matches()) {
            return "only ASCII letters, digits, '.', '_' and '-' are allowed";
        }
        return null;
    }
}
