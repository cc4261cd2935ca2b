/**
 * The JDBC layer every Onramp plugin that talks to a relational database shares (JDBC source, outbox source,
 * JDBC sink). Nothing here knows a connector; connectors compose it.
 *
 * <h2>How a connector uses it</h2>
 * <pre>{@code
 * // 1. the config: add the connection.* keys to the plugin's ConfigDef (group "Connection")
 * static final ConfigDef CONFIG_DEF = JdbcConnectionConfig.define(new ConfigDef())
 *         .define("mode", ...);
 *
 * // 2. at start: typed settings, the dialect chosen from the URL, a factory that retries
 * JdbcConnectionSettings settings = JdbcConnectionSettings.from(config);   // any AbstractConfig holding the keys
 * Dialect dialect = Dialects.forUrl(settings.url());
 * JdbcConnectionFactory connections = new JdbcConnectionFactory(settings, dialect);
 * try (Connection c = connections.open()) {                                 // retries connection.attempts times
 *     String table = dialect.qualify(TableId.parse("public.orders"));       // "public"."orders", quotes escaped
 *     try (PreparedStatement ps = dialect.prepareStreamingQuery(c, "SELECT * FROM " + table, 1000, 30)) {
 *         // rows stream: PostgreSQL through a cursor (autocommit off + fetch size), MariaDB row by row
 *     }
 * } catch (SQLException e) {                                              // a failed read: no server text that may quote values
 *     String reason = JdbcErrors.describeRead(e, settings);
 *     SQLException cause = SqlFailures.withMessage(e, reason);              // Connect prints the cause chain in the status
 *     if (dialect.isRetriable(e)) throw new RetriableException(reason, cause);
 *     throw new ConnectException(reason, cause);
 * }
 *
 * // 3. columns to Connect: one mapper per result set shape
 * ColumnMapper mapper = new ColumnMapper(dialect, NumericMapping.NONE, ZoneId.of("UTC"));
 * List<ColumnMapping> columns = mapper.map(ColumnDescriptor.of(resultSet.getMetaData()));
 * Object value = columns.get(0).read(resultSet, 1);                         // a value of columns.get(0).schema()
 * }</pre>
 *
 * <h2>Rules it keeps</h2>
 * <ul>
 *   <li>The password is a Connect {@code Password} and never appears in a message: {@link
 *       io.onramp.connect.core.jdbc.JdbcErrors#describe} masks it (and any {@code password=} in the URL).</li>
 *   <li>Row values never appear in a message either: a failed statement is described by its SQLSTATE ({@link
 *       io.onramp.connect.core.jdbc.SqlFailures#describe}, {@link io.onramp.connect.core.jdbc.JdbcErrors#describeRead}),
 *       the server's text only where its SQLSTATE class names objects, never values.</li>
 *   <li>Identifiers are always quoted through {@link io.onramp.connect.core.jdbc.Dialect#quoteIdentifier}
 *       (embedded quote characters doubled); values are always bound, never spliced into SQL.</li>
 *   <li>{@link io.onramp.connect.core.jdbc.ColumnMapper} is the one mapping of SQL types to Connect schemas;
 *       the sink maps the other way with the same table (README "JDBC types").</li>
 * </ul>
 */
package io.onramp.connect.core.jdbc;
