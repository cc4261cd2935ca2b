package io.onramp.connect.core.jdbc;

/**
 * Any other JDBC driver: ANSI double-quoted identifiers and the standard SQLStates. Drivers that need more to
 * stream (e.g. autocommit off) get it by URL parameters.
 */
public final class GenericDialect implements Dialect {

    private final String quote;

    public GenericDialect() {
        this("\"");
    }

    /** @param quote the driver's identifier quote string ({@code DatabaseMetaData.getIdentifierQuoteString()}) */
    public GenericDialect(String quote) {
        this.quote = quote == null || quote.isBlank() ? "\"" : quote.strip();
    }

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }
}
