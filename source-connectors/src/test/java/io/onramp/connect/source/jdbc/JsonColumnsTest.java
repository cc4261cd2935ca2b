package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.core.contract.Contract;
import io.onramp.connect.core.jdbc.ColumnDescriptor;
import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.Dialects;
import io.onramp.connect.core.jdbc.NumericMapping;
import io.onramp.connect.source.outbox.OutboxDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** JSON columns of real PostgreSQL (jsonb) and MariaDB (JSON, a LONGTEXT) tables typed by a row contract. */
class JsonColumnsTest {

    static final String CONTRACT = "{\"type\":\"record\",\"name\":\"Row\",\"namespace\":\"shop\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"int\"},"
            + "{\"name\":\"doc\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Doc\",\"fields\":["
            + "{\"name\":\"email\",\"type\":\"string\",\"onramp.rules\":{\"pattern\":\"[^@]+@[^@]+\"}},"
            + "{\"name\":\"qty\",\"type\":\"int\",\"onramp.rules\":{\"min\":1}}]}]},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"]}]}";
    private static final Contract ROW = Contract.parse(CONTRACT, "shop", "rows", 1, "test");

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aJsonColumnWhoseContractFieldIsARecordArrivesAsAStructAndOtherTextStaysText(OutboxDatabases db) throws Exception {
        String table = OutboxDatabases.uniqueName("json_typed");
        try (Connection c = db.open()) {
            create(c, db, table, "(1, '{\"email\":\"a@b.example\",\"qty\":2}', '{\"not\":\"typed\"}'), (2, NULL, NULL)");

            List<Struct> rows = read(c, table);

            assertThat(rows.get(0).schema().field("doc").schema().type()).isEqualTo(Schema.Type.STRUCT);
            Struct doc = rows.get(0).getStruct("doc");
            assertThat(doc.getString("email")).isEqualTo("a@b.example");
            assertThat(doc.getInt32("qty")).isEqualTo(2);
            assertThat(rows.get(0).get("note")).as("a text column whose contract field is a string").isInstanceOf(String.class);
            assertThat(rows.get(1).get("doc")).isNull();
        } finally {
            drop(db, table);
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aValueBreakingTheContractNamesTableColumnFieldAndRuleNeverTheValue(OutboxDatabases db) throws Exception {
        String table = OutboxDatabases.uniqueName("json_bad");
        try (Connection c = db.open()) {
            create(c, db, table, "(1, '{\"email\":\"private-value\",\"qty\":2}', NULL)");

            assertThatThrownBy(() -> read(c, table)).isInstanceOf(DataException.class)
                    .hasMessageContaining(table).hasMessageContaining("column 'doc'")
                    .hasMessageContaining("field 'doc.email'").hasMessageContaining("rule 'pattern'")
                    .hasMessageContaining("shop.rows v1")
                    .message().doesNotContain("private-value");
        } finally {
            drop(db, table);
        }
    }

    @ParameterizedTest
    @EnumSource(OutboxDatabases.class)
    void aRecordFieldOnAColumnThatIsNotTextIsAValidateProblemNamingBoth(OutboxDatabases db) throws Exception {
        String table = OutboxDatabases.uniqueName("json_int");
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, doc INT, note TEXT)");
            var mapper = new ColumnMapper(Dialects.forUrl(c.getMetaData().getURL()), NumericMapping.NONE, ZoneOffset.UTC);
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0"); ResultSet rs = ps.executeQuery()) {
                var mappings = mapper.map(ColumnDescriptor.of(rs.getMetaData()));
                assertThat(new JsonColumns(ROW).problem(mappings, "table " + table))
                        .contains("Field 'doc' of contract shop.rows v1 is a record").contains("column 'doc' of table " + table)
                        .containsIgnoringCase("int");
                assertThat(new JsonColumns(ROW).problem(mappings.stream().filter(m -> !m.column().name().equals("doc")).toList(),
                        "table " + table)).as("text columns and non-record fields are fine").isNull();
            }
        } finally {
            drop(db, table);
        }
    }

    private static void create(Connection c, OutboxDatabases db, String table, String values) throws Exception {
        String json = db == OutboxDatabases.POSTGRES ? "jsonb" : "JSON";
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, doc " + json + ", note " + json + ")");
            s.execute("INSERT INTO " + table + " VALUES " + values);
        }
    }

    private static List<Struct> read(Connection c, String table) throws Exception {
        var dialect = Dialects.forUrl(c.getMetaData().getURL());
        var mapper = new ColumnMapper(dialect, NumericMapping.NONE, ZoneOffset.UTC);
        List<Struct> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            var converter = new RowConverter(ColumnDescriptor.of(rs.getMetaData()), mapper, List.of("id"), new JsonColumns(ROW),
                    "table " + table);
            while (rs.next()) {
                out.add(converter.value(rs));
            }
        }
        return out;
    }

    private static void drop(OutboxDatabases db, String table) throws Exception {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
