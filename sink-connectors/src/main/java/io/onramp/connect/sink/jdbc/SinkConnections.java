package io.onramp.connect.sink.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;

/** Opens connections with the plugin's bundled drivers (temporary until core's JDBC connection factory lands). */
final class SinkConnections {

    private final String url;
    private final String user;
    private final String password;

    SinkConnections(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    Connection open() throws SQLException {
        var props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        for (Driver driver : ServiceLoader.load(Driver.class, SinkConnections.class.getClassLoader())) {
            if (driver.acceptsURL(url)) {
                return driver.connect(url, props);
            }
        }
        return DriverManager.getConnection(url, props);
    }
}
