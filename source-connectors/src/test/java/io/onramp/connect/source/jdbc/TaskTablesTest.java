package io.onramp.connect.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTablesTest {

    @Test
    void entriesWithLineBreaksAndTabsInTheirNamesSurviveTheTaskConfig() {
        List<String> entries = List.of("T\tpublic.\"a\nb\"", "V\tpublic.c\td", "T\tplain");
        assertThat(TaskTables.decode(TaskTables.encode(entries))).isEqualTo(entries);
    }

    @Test
    void aShareWrittenOneEntryPerLineByAnEarlierVersionIsStillRead() {
        assertThat(TaskTables.decode("T\tpublic.a\nV\tpublic.b\n")).containsExactly("T\tpublic.a", "V\tpublic.b");
        assertThat(TaskTables.decode("")).isEmpty();
    }
}
