package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.TableId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing a task reads: a table (or view) or the custom query, with the topic its records go to.
 *
 * @param table       the table, or null for the custom query
 * @param query       the custom query, or null for a table
 * @param topic       the records' topic
 * @param keyColumns  the primary key's columns in key order (empty when there is none)
 * @param view        whether the table is a view (no PostgreSQL row versions to bound reads by)
 */
record ReadTarget(TableId table, String query, String topic, List<String> keyColumns, boolean view) {

    /** What to put after FROM: the quoted table, or the query wrapped as a subquery. */
    String from(Dialect dialect) {
        return table != null ? dialect.qualify(table) : "(" + query + ") onramp_query";
    }

    /** Source partition: {@code {table: schema.table}} or {@code {query: query}}; one entry, stable bytes. */
    Map<String, Object> partition() {
        var partition = new TreeMap<String, Object>();
        if (table != null) {
            partition.put("table", table.toConfigText());
        } else {
            partition.put("query", "query");
        }
        return partition;
    }

    /** How logs and errors name it. */
    String describe() {
        return table != null ? "table " + table.toConfigText() : "the custom query";
    }

    /** A topic name from the prefix and a table name, characters Kafka does not allow replaced by '_'. */
    static String topicFor(String prefix, String table) {
        return (prefix + table).replaceAll("[^a-zA-Z0-9._-]", "_");
    }
}
