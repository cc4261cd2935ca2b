package io.onramp.connect.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the Onramp build, as every plugin's {@code version()} reports it. */
public final class OnrampVersion {

    private static final String VERSION = load();

    private OnrampVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = OnrampVersion.class.getResourceAsStream("onramp-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("onramp-version.properties is missing from the onramp-core jar");
            }
            var props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Onramp version", e);
        }
    }
}
