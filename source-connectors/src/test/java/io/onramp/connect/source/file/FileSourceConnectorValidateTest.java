package io.onramp.connect.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file source's rules between keys, reported on the key at fault by validate() (what REST validate shows). */
class FileSourceConnectorValidateTest {

    private static final String CONTRACT = "{\"type\":\"record\",\"name\":\"Customer\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"exported_at\",\"type\":\"string\"}]}";

    @TempDir
    Path root;

    private final Map<String, String> props = new HashMap<>();

    @BeforeEach
    void snapshotConfig() throws IOException {
        for (String dir : List.of("in", "done", "error", "archive")) {
            Files.createDirectories(root.resolve(dir));
        }
        props.put("topic", "crm.customers");
        props.put("input.path", root.resolve("in").toString());
        props.put("finished.path", root.resolve("done").toString());
        props.put("error.path", root.resolve("error").toString());
        props.put("mode", "snapshot");
        props.put("snapshot.archive.path", root.resolve("archive").toString());
        props.put("snapshot.key.fields", "id");
        props.put("contract.file", Files.writeString(root.resolve("customer.avsc"), CONTRACT).toString());
    }

    private Map<String, List<String>> errors() {
        var errors = new HashMap<String, List<String>>();
        for (ConfigValue value : new FileSourceConnector().validate(props).configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }

    @Test
    void aValidSnapshotConfigHasNoErrors() {
        props.put("snapshot.ignore.fields", "exported_at");

        assertThat(errors()).isEmpty();
    }

    @Test
    void unknownKeyAndIgnoredFieldsAreReportedOnTheirKeysWhenTheContractNamesTheColumns() {
        props.put("snapshot.key.fields", "id,customer_id");
        props.put("snapshot.ignore.fields", "exported");

        Map<String, List<String>> errors = errors();

        assertThat(errors).containsOnlyKeys("snapshot.key.fields", "snapshot.ignore.fields");
        assertThat(errors.get("snapshot.key.fields")).singleElement().asString()
                .contains("'customer_id'").contains("[id, name, exported_at]");
        assertThat(errors.get("snapshot.ignore.fields")).singleElement().asString().contains("'exported'");
    }

    @Test
    void unknownFieldsAreReportedWhenAFixedWidthLayoutNamesTheColumns() {
        props.remove("contract.file");
        props.put("input.format", "fixed");
        props.put("fixed.layout", "id:1:4:long,name:5:10:string");
        props.put("snapshot.ignore.fields", "nmae");

        assertThat(errors()).containsOnlyKeys("snapshot.ignore.fields");
    }

    @Test
    void partialSnapshotsWithFailOnBadRecordIsAnErrorOnAllowPartial() {
        props.put("snapshot.allow.partial", "true");

        assertThat(errors()).containsOnlyKeys("snapshot.allow.partial");
        assertThat(errors().get("snapshot.allow.partial")).singleElement().asString().contains("'on.bad.record' is fail");

        props.put("on.bad.record", "skip");
        assertThat(errors()).isEmpty();
    }

    @Test
    void ignoringAKeyFieldIsAnErrorOnIgnoreFields() {
        props.put("snapshot.ignore.fields", "name,id");

        assertThat(errors()).containsOnlyKeys("snapshot.ignore.fields");
    }

    @Test
    void aQuarantineTopicEqualToTheTopicIsAnErrorOnQuarantineTopic() {
        props.put("on.bad.record", "quarantine");
        props.put("quarantine.topic", "crm.customers");

        assertThat(errors()).containsOnlyKeys("quarantine.topic");
    }

    @Test
    void aTableNameThatCannotNameAFileIsAnErrorOnSnapshotTable() {
        for (String table : List.of("../customers", "crm/customers", "..", "a\\b", "tab\tname", "x".repeat(201))) {
            props.put("snapshot.table", table);

            assertThat(errors()).as(table).containsOnlyKeys("snapshot.table");
            assertThat(errors().get("snapshot.table")).singleElement().asString().contains("'snapshot.table' may not hold");
        }
    }

    @Test
    void tableNamesThatNameOneFileInTheArchiveAreAcceptedAsEarlierVersionsAcceptedThem() {
        // snapshot.table is also the source partition: a name refused on upgrade could only be changed by losing
        // the offsets and the archive, so whatever names a file in the archive directory stays legal
        for (String table : List.of("dbo.Kunden Stamm_2", "sales$orders", "crm:customers", "orders+v2", "Straße")) {
            props.put("snapshot.table", table);

            assertThat(errors()).as(table).isEmpty();
        }
    }

    @Test
    void anArchiveInsideTheInputOfAnExistingConfigIsRefusedByValidateButStillStartsATask() throws IOException {
        props.put("snapshot.archive.path", Files.createDirectories(root.resolve("in").resolve("archive")).toString());

        assertThat(errors()).containsOnlyKeys("snapshot.archive.path");
        var config = new FileSourceConfig(props); // what a task builds from a config stored before the rule
        assertThat(config.archiveOverlap()).contains("'input.path'");
    }

    @Test
    void anArchiveThatIsTheInputDirectoryOrInsideItOrHoldsItIsAnErrorOnArchivePath() throws IOException {
        Path input = root.resolve("in");
        for (Path archive : List.of(input, Files.createDirectories(input.resolve("archive")))) {
            props.put("snapshot.archive.path", archive.toString());

            assertThat(errors()).as(archive.toString()).containsOnlyKeys("snapshot.archive.path");
            assertThat(errors().get("snapshot.archive.path")).singleElement().asString()
                    .contains("'snapshot.archive.path' must not be, contain or lie inside 'input.path'");
        }
        props.put("snapshot.archive.path", root.resolve("archive").toString());
        props.put("input.path", Files.createDirectories(root.resolve("archive/in")).toString());
        assertThat(errors()).containsOnlyKeys("snapshot.archive.path");
    }

    @Test
    void anArchiveThatIsTheFinishedOrErrorDirectoryIsAnErrorOnArchivePath() {
        for (String key : List.of("finished.path", "error.path")) {
            props.put("snapshot.archive.path", props.get(key));

            assertThat(errors()).as(key).containsOnlyKeys("snapshot.archive.path");
            assertThat(errors().get("snapshot.archive.path")).singleElement().asString().contains("'" + key + "'");
        }
    }

    @Test
    void anArchiveReachedThroughASymbolicLinkToTheInputIsAnErrorOnArchivePath() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("archive-link"), root.resolve("in"));
        props.put("snapshot.archive.path", link.toString());

        assertThat(errors()).containsOnlyKeys("snapshot.archive.path");
    }
}
