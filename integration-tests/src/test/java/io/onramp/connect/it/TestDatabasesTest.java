package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The shared database helper against the real servers: both reachable, tables created and dropped by name. */
class TestDatabasesTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void createsWritesReadsAndDropsAUniquelyNamedTable(TestDatabases db) throws SQLException {
        String name;
        try (var table = db.createTable("TestDatabasesTest", "id INT PRIMARY KEY, note VARCHAR(20)")) {
            name = table.name();
            assertThat(name).startsWith("testdatabasestest_");
            db.execute("INSERT INTO " + table.quoted() + " VALUES (1, 'one')");
            try (var c = db.open(); ResultSet rs = c.createStatement().executeQuery("SELECT note FROM " + table.quoted())) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
            }
        }
        assertThatThrownBy(() -> db.execute("SELECT 1 FROM " + db.quote(name))).isInstanceOf(AssertionError.class);
    }

    @Test
    void uniqueNamesDiffer() {
        assertThat(TestDatabases.uniqueName("x")).isNotEqualTo(TestDatabases.uniqueName("x"));
    }
}
