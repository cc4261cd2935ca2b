package io.onramp.connect.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;

/**
 * The machine's PostgreSQL server as a process, for the few tests that restart it on purpose (a real restart: the
 * server shuts down, every session ends, and for a moment nothing listens). Any other test meeting the restart
 * retries. Runs {@code pg_ctlcluster}, as {@code scripts/db-services.sh} does.
 */
public final class PostgresServer {

    private PostgresServer() {
    }

    /**
     * Restarts the cluster ({@code pg_ctlcluster <version> main restart}, fast mode) and waits until it answers.
     * Only from a test class tagged {@code serial}: the others run two at a time and would lose their server.
     */
    public static void restart() {
        requireSerialCaller();
        try {
            run("restart");
            awaitUp(Duration.ofSeconds(60));
        } catch (AssertionError e) {
            ensureUp();
            throw e;
        }
    }

    private static void requireSerialCaller() {
        boolean serial = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .anyMatch(PostgresServer::taggedSerial));
        if (!serial) {
            throw new AssertionError("A test that restarts PostgreSQL must be in a class annotated @Tag(\"serial\"): "
                    + "other test classes run at the same time and share the server");
        }
    }

    private static boolean taggedSerial(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            for (Tag tag : c.getAnnotationsByType(Tag.class)) {
                if (tag.value().equals("serial")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Starts the cluster if it does not answer; for a {@code finally} after {@link #restart()}, so that no failure
     * leaves the server down for the tests after.
     */
    public static void ensureUp() {
        if (answers()) {
            return;
        }
        run("start");
        awaitUp(Duration.ofSeconds(60));
    }

    /** True when a login to the test database succeeds now. */
    public static boolean answers() {
        TestDatabases db = TestDatabases.POSTGRES;
        try (var c = DriverManager.getConnection(db.url(), TestDatabases.user(), TestDatabases.password())) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void awaitUp(Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(PostgresServer::answers);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("PostgreSQL does not answer " + timeout + " after pg_ctlcluster; run "
                    + "bash scripts/db-services.sh", e);
        }
    }

    private static void run(String action) {
        try {
            Process process = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version(), "main", action)
                    .redirectErrorStream(true).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pg_ctlcluster " + action + " did not finish within 90 s");
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (process.exitValue() != 0) {
                throw new AssertionError("pg_ctlcluster " + action + " exited with " + process.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run pg_ctlcluster " + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The newest installed cluster version under /etc/postgresql, as scripts/db-services.sh picks it. */
    private static String version() throws IOException {
        Path etc = Paths.get("/etc/postgresql");
        try (Stream<Path> versions = Files.list(etc)) {
            return versions.map(p -> p.getFileName().toString()).filter(v -> v.matches("\\d+(\\.\\d+)?"))
                    .max(Comparator.comparingDouble(Double::parseDouble))
                    .orElseThrow(() -> new AssertionError("no PostgreSQL cluster under " + etc));
        }
    }
}
