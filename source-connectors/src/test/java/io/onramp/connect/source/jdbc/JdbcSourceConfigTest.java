package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSourceConfigTest {

    private static Map<String, String> props(String mode) {
        var props = new HashMap<String, String>();
        props.put("connection.url", "jdbc:postgresql://db/x");
        props.put("connection.password", "pw");
        props.put("mode", mode);
        props.put("topic.prefix", "p.");
        return props;
    }

    @Test
    void incrementalModesNeedTheirColumnsNamingTheKey() {
        assertThatThrownBy(() -> new JdbcSourceConfig(props("incrementing"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'incrementing.column.name' is required in mode 'incrementing'");
        var ts = props("timestamp+incrementing");
        ts.put("incrementing.column.name", "id");
        assertThat(JdbcSourceConfig.problems(new JdbcSourceConfig(ts, false))).containsOnlyKeys("timestamp.column.name");
    }

    @Test
    void aQueryAndATableListExcludeEachOther() {
        var both = props("bulk");
        both.put("query", "SELECT 1;  ");
        both.put("table.include.list", "orders");
        assertThat(JdbcSourceConfig.problems(new JdbcSourceConfig(both, false))).containsOnlyKeys("query");
        both.remove("table.include.list");
        assertThat(new JdbcSourceConfig(both).query()).as("trailing semicolons go").isEqualTo("SELECT 1");
    }

    @Test
    void badRegexAndTimeZoneAreRejectedOnTheirKeys() {
        var regex = props("bulk");
        regex.put("table.exclude.list", "a(");
        assertThat(JdbcSourceConfig.problems(new JdbcSourceConfig(regex, false))).containsOnlyKeys("table.exclude.list");
        var zone = props("bulk");
        zone.put("db.timezone", "Mars/Olympus");
        assertThatThrownBy(() -> new JdbcSourceConfig(zone)).hasMessageContaining("db.timezone");
        var mode = props("bulk-ish");
        assertThatThrownBy(() -> new JdbcSourceConfig(mode)).hasMessageContaining("mode");
    }

    @Test
    void tablePollIntervalDefaultsToAMinuteAndRejectsANegativeOrNonNumberOnItsKey() {
        assertThat(new JdbcSourceConfig(props("bulk")).tablePollIntervalMs()).isEqualTo(60_000L);
        var negative = props("bulk");
        negative.put("table.poll.interval.ms", "-1");
        assertThatThrownBy(() -> new JdbcSourceConfig(negative)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("table.poll.interval.ms");
        var text = props("bulk");
        text.put("table.poll.interval.ms", "soon");
        assertThatThrownBy(() -> new JdbcSourceConfig(text)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("table.poll.interval.ms");
    }

    @Test
    void aContractIsOptionalAndAnIncompleteOneIsReportedOnTheKeyToFix(@TempDir Path dir) throws Exception {
        assertThat(new JdbcSourceConfig(props("bulk")).jsonColumns()).as("no contract: JSON stays text").isNull();
        var missing = props("bulk");
        missing.put("contract.file", dir.resolve("nope.avsc").toString());
        assertThatThrownBy(() -> new JdbcSourceConfig(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("contract.file");
        Path contract = Files.writeString(dir.resolve("row.avsc"), JsonColumnsTest.CONTRACT.replace("\"fields\"",
                "\"onramp.domain\":\"shop\",\"onramp.product\":\"rows\",\"onramp.version\":1,\"fields\""));
        var file = props("bulk");
        file.put("contract.file", contract.toString());
        assertThat(new JdbcSourceConfig(file).jsonColumns()).isNotNull();
        var noProduct = props("bulk");
        noProduct.put("contract.dir", dir.toString());
        noProduct.put("contract.domain", "shop");
        assertThat(JdbcSourceConfig.problems(new JdbcSourceConfig(noProduct, false))).containsOnlyKeys("contract.product");
    }

    @Test
    void queryTimeoutRoundsUpToWholeSeconds() {
        var props = props("bulk");
        props.put("query.timeout.ms", "1500");
        assertThat(new JdbcSourceConfig(props).queryTimeoutSeconds()).isEqualTo(2);
    }

    @Test
    void exactlyOnceIsSupportedOnlyWhereAResumeIsExact() {
        var connector = new JdbcSourceConnector();
        assertThat(connector.exactlyOnceSupport(Map.of("mode", "incrementing"))).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(connector.exactlyOnceSupport(Map.of("mode", "timestamp+incrementing"))).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(connector.exactlyOnceSupport(Map.of("mode", "timestamp"))).isEqualTo(ExactlyOnceSupport.UNSUPPORTED);
        assertThat(connector.exactlyOnceSupport(Map.of("mode", "bulk"))).isEqualTo(ExactlyOnceSupport.UNSUPPORTED);
        assertThat(connector.exactlyOnceSupport(Map.of("mode", "bulk-diff"))).isEqualTo(ExactlyOnceSupport.SUPPORTED);
    }

    @Test
    void onlyBulkDiffDefinesTransactionBoundaries() {
        var connector = new JdbcSourceConnector();
        assertThat(connector.canDefineTransactionBoundaries(Map.of("mode", "bulk-diff")))
                .isEqualTo(org.apache.kafka.connect.source.ConnectorTransactionBoundaries.SUPPORTED);
        assertThat(connector.canDefineTransactionBoundaries(Map.of("mode", "incrementing")))
                .isEqualTo(org.apache.kafka.connect.source.ConnectorTransactionBoundaries.UNSUPPORTED);
    }

    @Test
    void bulkDiffNeedsAnArchiveAndKeyColumnsForAQueryOnTheirKeys() {
        var props = props("bulk-diff");
        props.put("query", "SELECT 1 AS x");
        props.put("snapshot.ignore.fields", "x");
        assertThat(JdbcSourceConfig.problems(new JdbcSourceConfig(props, false)))
                .containsOnlyKeys("snapshot.archive.path", "snapshot.key.fields");
        props.put("snapshot.key.fields", "x");
        assertThat(JdbcSourceConfig.problems(new JdbcSourceConfig(props, false)).get("snapshot.ignore.fields"))
                .contains("names the key column 'x'");
    }

    @Test
    void sourcePartitionsAreOrderedMapsWithStableText() {
        var table = new ReadTarget(io.onramp.connect.core.jdbc.TableId.parse("public.orders"), null, "t", java.util.List.of(), false);
        assertThat(table.partition()).isInstanceOf(TreeMap.class).isEqualTo(Map.of("table", "public.orders"));
        var query = new ReadTarget(null, "SELECT 1", "t", java.util.List.of(), false);
        assertThat(query.partition()).isEqualTo(Map.of("query", "query"));
        assertThat(ReadTarget.topicFor("p.", "we\"ird name")).isEqualTo("p.we_ird_name");
    }

    @Test
    void tablesAreMatchedQualifiedOrBareAndExcludesWin() {
        var id = io.onramp.connect.core.jdbc.TableId.parse("public.orders");
        var include = java.util.List.of(java.util.regex.Pattern.compile("public\\.ord.*"));
        var bare = java.util.List.of(java.util.regex.Pattern.compile("orders"));
        var exclude = java.util.List.of(java.util.regex.Pattern.compile(".*ders"));
        assertThat(TableDiscovery.selected(id, include, java.util.List.of())).isTrue();
        assertThat(TableDiscovery.selected(id, bare, java.util.List.of())).isTrue();
        assertThat(TableDiscovery.selected(id, include, exclude)).isFalse();
        assertThat(TableDiscovery.selected(id, java.util.List.of(java.util.regex.Pattern.compile("ord")), java.util.List.of())).isFalse();
    }
}
