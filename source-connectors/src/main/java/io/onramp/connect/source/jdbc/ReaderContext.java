package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.jdbc.ColumnMapper;
import io.onramp.connect.core.jdbc.Dialect;
import io.onramp.connect.core.jdbc.JdbcConnectionFactory;
import java.time.Clock;

/** What every reader of one task shares. */
record ReaderContext(JdbcSourceConfig config, JdbcConnectionFactory connections, Dialect dialect, ColumnMapper mapper,
        Clock clock, String connectorName) {
}
