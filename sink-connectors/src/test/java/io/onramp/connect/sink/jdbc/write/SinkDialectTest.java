package io.onramp.connect.sink.jdbc.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.connect.sink.jdbc.mapping.ColumnSpec;
import io.onramp.connect.sink.jdbc.mapping.RowChange;
import io.onramp.connect.sink.jdbc.mapping.SinkType;
import io.onramp.connect.core.jdbc.TableId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkDialectTest {

    static final SinkDialect PG = SinkDialect.forUrl("jdbc:postgresql://h/db");
    static final SinkDialect MARIA = SinkDialect.forUrl("jdbc:mariadb://h/db");
    static final TableId ORDERS = new TableId(null, null, "orders");

    static RowChange.Shape shape(RowChange.Kind kind, List<String> keys, List<String> values) {
        return new RowChange.Shape(ORDERS, kind, keys, values);
    }

    @Test
    void postgresUpsertIsInsertOnConflictDoUpdate() {
        assertThat(PG.statement(shape(RowChange.Kind.UPSERT, List.of("id"), List.of("name", "qty"))))
                .isEqualTo("INSERT INTO \"orders\" (\"id\", \"name\", \"qty\") VALUES (?, ?, ?) ON CONFLICT (\"id\") "
                        + "DO UPDATE SET \"name\" = EXCLUDED.\"name\", \"qty\" = EXCLUDED.\"qty\"");
        assertThat(PG.statement(shape(RowChange.Kind.UPSERT, List.of("id"), List.of())))
                .isEqualTo("INSERT INTO \"orders\" (\"id\") VALUES (?) ON CONFLICT (\"id\") DO NOTHING");
    }

    @Test
    void mariaDbUpsertIsOnDuplicateKeyUpdate() {
        assertThat(MARIA.statement(shape(RowChange.Kind.UPSERT, List.of("id"), List.of("name"))))
                .isEqualTo("INSERT INTO `orders` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)");
        assertThat(MARIA.statement(shape(RowChange.Kind.UPSERT, List.of("id"), List.of())))
                .isEqualTo("INSERT INTO `orders` (`id`) VALUES (?) ON DUPLICATE KEY UPDATE `id` = `id`");
    }

    @Test
    void updateAndDeleteMatchEveryKeyColumn() {
        var dialect = PG;
        assertThat(dialect.statement(shape(RowChange.Kind.UPDATE, List.of("a", "b"), List.of("v"))))
                .isEqualTo("UPDATE \"orders\" SET \"v\" = ? WHERE \"a\" = ? AND \"b\" = ?");
        assertThat(dialect.statement(shape(RowChange.Kind.DELETE, List.of("a", "b"), List.of())))
                .isEqualTo("DELETE FROM \"orders\" WHERE \"a\" = ? AND \"b\" = ?");
    }

    @Test
    void hostileIdentifiersAreQuotedWithTheirQuotesDoubled() {
        var table = new TableId(null, "my schema", "Robert\"); DROP TABLE students;--");
        assertThat(PG.table(table))
                .isEqualTo("\"my schema\".\"Robert\"\"); DROP TABLE students;--\"");
        assertThat(MARIA.quote("a`b")).isEqualTo("`a``b`");
        assertThatThrownBy(() -> PG.quote("nul\0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createTableHasTheKeyAsPrimaryKeyAndRequiredColumnsNotNull() {
        var keys = List.of(ColumnSpec.of("id", SinkType.STRING, false));
        var values = List.of(new ColumnSpec("price", SinkType.DECIMAL, 2, 10, true), ColumnSpec.of("doc", SinkType.JSON, false),
                ColumnSpec.of("at", SinkType.TIMESTAMP, true));
        assertThat(PG.createTable(ORDERS, keys, values))
                .isEqualTo("CREATE TABLE IF NOT EXISTS \"orders\" (\"id\" text NOT NULL, \"price\" numeric(10, 2), "
                        + "\"doc\" jsonb NOT NULL, \"at\" timestamp(6), PRIMARY KEY (\"id\"))");
        assertThat(MARIA.createTable(ORDERS, keys, values))
                .isEqualTo("CREATE TABLE IF NOT EXISTS `orders` (`id` VARCHAR(255) NOT NULL, `price` DECIMAL(10, 2), "
                        + "`doc` JSON NOT NULL, `at` DATETIME(6), PRIMARY KEY (`id`))");
    }

    @Test
    void evolutionOnlyAddsNullableColumns() {
        assertThat(PG.addColumn(ORDERS, ColumnSpec.of("note", SinkType.STRING, true)))
                .isEqualTo("ALTER TABLE \"orders\" ADD COLUMN IF NOT EXISTS \"note\" text NULL");
    }

    @Test
    void dialectFollowsTheUrl() {
        assertThat(PG).isInstanceOf(PostgresSinkDialect.class);
        assertThat(SinkDialect.forUrl("jdbc:mariadb://h/db")).isInstanceOf(MariaDbSinkDialect.class);
        assertThat(SinkDialect.forUrl("jdbc:mysql://h/db")).isInstanceOf(MariaDbSinkDialect.class);
        assertThat(SinkDialect.forUrl("jdbc:h2:mem:x").nativeUpsert()).isFalse();
    }
}
