package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import java.time.Clock;

/** What every reader of one task shares; {@code json} is null without a contract. */
record ReaderContext(JdbcSourceConfig config, JdbcConnectionFactory connections, Dialect dialect, ColumnMapper mapper,
        Clock clock, String connectorName, JsonColumns json) {

    ReaderContext(JdbcSourceConfig config, JdbcConnectionFactory connections, Dialect dialect, ColumnMapper mapper,
            Clock clock, String connectorName) {
        this(config, connections, dialect, mapper, clock, connectorName, config.jsonColumns());
    }
}
