package io.onramp.connect.it;

/**
 * The tables the JDBC source examples in {@code config-examples/} read ({@code onramp_example_orders},
 * {@code onramp_example_customers}), created if absent on both test databases, so that validating an example checks
 * it against real tables as users' configs are. Kept, not dropped: other test classes validate them concurrently.
 */
public final class JdbcExampleTables {

    private JdbcExampleTables() {
    }

    public static void create() {
        TestDatabases.POSTGRES.execute(
                "CREATE TABLE IF NOT EXISTS onramp_example_orders (id BIGSERIAL PRIMARY KEY, customer VARCHAR(40) NOT NULL, "
                        + "amount NUMERIC(12,2) NOT NULL, updated_at TIMESTAMP(3) NOT NULL DEFAULT now())",
                "CREATE TABLE IF NOT EXISTS onramp_example_customers (id BIGSERIAL PRIMARY KEY, name VARCHAR(80) NOT NULL, "
                        + "email VARCHAR(120))",
                "CREATE TABLE IF NOT EXISTS onramp_example_order_docs (id BIGSERIAL PRIMARY KEY, doc JSONB)");
        TestDatabases.MARIADB.execute(
                "CREATE TABLE IF NOT EXISTS onramp_example_orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40) NOT NULL, "
                        + "amount DECIMAL(12,2) NOT NULL, updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) "
                        + "ON UPDATE CURRENT_TIMESTAMP(3))",
                "CREATE TABLE IF NOT EXISTS onramp_example_customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL, "
                        + "email VARCHAR(120))");
    }
}
