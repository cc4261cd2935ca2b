package io.onramp.connect.it.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.onramp.connect.it.OnrampConnect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kafka Connect worker in distributed mode as a separate JVM, with Onramp loaded from the packaged plugin, that a
 * test can kill with SIGKILL: the harness for crash tests. A worker dies here the way users' workers die (OOM kill,
 * node loss, {@code kill -9}): no task is stopped, no offset flushed, no transaction aborted.
 *
 * <pre>{@code
 * try (var broker = KafkaBroker.start();
 *      var worker = WorkerProcess.builder("append-eos", broker).exactlyOnce(true).start()) {
 *     worker.createConnector("files", config);          // PUT /connectors/files/config
 *     worker.awaitRunning("files", 1, Duration.ofSeconds(60));
 *     KafkaBroker.await("some records written", Duration.ofSeconds(60), () -> broker.written(topic) > 1_000);
 *     worker.kill();                                      // SIGKILL; asserts the JVM died of it
 *     try (var next = WorkerProcess.builder("append-eos", broker).exactlyOnce(true).start()) {
 *         next.awaitRunning("files", 1, Duration.ofSeconds(60)); // same group: it takes over the connector
 *         ... broker.readCommitted(topic) ...
 *     }
 * }
 * }</pre>
 *
 * <p>What a worker gets ({@link Builder#property} adds or overrides any of it):
 * <ul>
 *   <li>{@code bootstrap.servers} of the given broker; {@code group.id} = the cluster name given to
 *       {@link #builder}, and topics {@code <cluster>.configs|offsets|status}: workers built with the same cluster
 *       name form one Connect cluster (a restart after a kill, or several workers for scale-out);</li>
 *   <li>a REST listener on a free loopback port ({@link #url()}), awaited by {@link Builder#start()};</li>
 *   <li>the packaged plugin ({@link OnrampConnect#pluginPath()}) on {@code plugin.path},
 *       {@code plugin.discovery=service_load};</li>
 *   <li>JSON converters as {@link OnrampConnect} sets them (key without, value with schemas; decimals NUMERIC);
 *       offsets flushed every 500 ms;</li>
 *   <li>{@code exactly.once.source.support=enabled} with {@link Builder#exactlyOnce(boolean)};</li>
 *   <li>a short {@code scheduled.rebalance.max.delay.ms} (5 s): the tasks of a killed worker move to the others
 *       after 5 s instead of Connect's default 5 minutes; {@code session.timeout.ms} 6 s (the broker's minimum).</li>
 * </ul>
 *
 * <p>Each process logs to {@code target/crash-workers/<cluster>-<n>.log} ({@link #log()}; Onramp and Connect at
 * INFO); its properties are next to it. Any Connect version can run: {@link Builder#runtime(WorkerRuntime)}, e.g.
 * {@link WorkerRuntime#connect39()}. The JVM gets {@code -Xmx384m} by default ({@link Builder#maxHeap}).
 *
 * <p>No orphan survives: {@link #close()} stops the worker (SIGTERM, then SIGKILL after 30 s); a shutdown hook kills
 * every worker still running when the test JVM exits; and a watchdog in the worker ({@link WorkerLauncher}) halts
 * it when the test JVM is killed outright.
 */
public final class WorkerProcess implements AutoCloseable {

    // One directory per test JVM: test classes run two at a time, and a launcher class file or log config being
    // rewritten by one must never be read half-written by the other's workers.
    private static final Path HOME = Paths.get("target", "crash-workers", Long.toString(ProcessHandle.current().pid()))
            .toAbsolutePath();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "kill-worker-processes"));
    }

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WorkerProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param cluster the Connect cluster's name: its group.id and the prefix of its internal topics
     * @param broker  the broker the worker connects to
     */
    public static Builder builder(String cluster, KafkaBroker broker) {
        return new Builder(cluster, broker.bootstrapServers());
    }

    /** Settings of one worker process; {@link #start()} launches it and returns when its REST API answers. */
    public static final class Builder {
        private final String cluster;
        private final Map<String, String> props = new LinkedHashMap<>();
        private WorkerRuntime runtime = WorkerRuntime.current();
        private String maxHeap = "384m";
        private Duration startTimeout = Duration.ofSeconds(240); // a loaded CI machine is slow to start a JVM

        private Builder(String cluster, String bootstrapServers) {
            this.cluster = cluster;
            props.put("bootstrap.servers", bootstrapServers);
            props.put("group.id", cluster);
            props.put("config.storage.topic", cluster + ".configs");
            props.put("offset.storage.topic", cluster + ".offsets");
            props.put("status.storage.topic", cluster + ".status");
            props.put("config.storage.replication.factor", "1");
            props.put("offset.storage.replication.factor", "1");
            props.put("status.storage.replication.factor", "1");
            props.put("offset.storage.partitions", "5");
            props.put("status.storage.partitions", "1");
            props.put("plugin.path", OnrampConnect.pluginPath().toString());
            props.put("plugin.discovery", "service_load");
            props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("key.converter.schemas.enable", "false");
            props.put("value.converter.schemas.enable", "true");
            props.put("value.converter.decimal.format", "NUMERIC");
            props.put("offset.flush.interval.ms", "500");
            props.put("session.timeout.ms", "6000");
            props.put("heartbeat.interval.ms", "2000");
            props.put("scheduled.rebalance.max.delay.ms", "5000");
        }

        public Builder exactlyOnce(boolean enabled) {
            if (enabled) {
                props.put("exactly.once.source.support", "enabled");
            } else {
                props.remove("exactly.once.source.support");
            }
            return this;
        }

        /** Adds or overrides one worker property. */
        public Builder property(String key, String value) {
            props.put(key, value);
            return this;
        }

        public Builder runtime(WorkerRuntime runtime) {
            this.runtime = runtime;
            return this;
        }

        /** The worker JVM's -Xmx, e.g. {@code 384m}. */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Starts the worker JVM and waits until its REST API answers {@code GET /connectors}. */
        public WorkerProcess start() {
            try {
                Files.createDirectories(HOME);
                String id = cluster + "-" + SEQUENCE.incrementAndGet();
                int port = freePort();
                var worker = new LinkedHashMap<>(props);
                worker.putIfAbsent("listeners", "http://127.0.0.1:" + port);
                worker.putIfAbsent("rest.advertised.host.name", "127.0.0.1");
                worker.putIfAbsent("rest.advertised.port", Integer.toString(port));
                Path properties = HOME.resolve(id + ".properties");
                var text = new StringBuilder();
                worker.forEach((key, value) -> text.append(key).append('=')
                        .append(value.replace("\\", "\\\\")).append('\n'));
                Files.writeString(properties, text);
                Path log = HOME.resolve(id + ".log");

                List<String> command = new ArrayList<>();
                command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
                command.add("-Xmx" + maxHeap);
                command.add("-XX:+UseSerialGC");
                command.add("-Djava.awt.headless=true");
                command.add("-Dlog4j2.configurationFile=" + logConfig("log4j2-worker.xml", LOG4J2));
                command.add("-Dlog4j.configuration=" + logConfig("log4j-worker.properties", LOG4J).toUri());
                command.add("-cp");
                command.add(launcherDirectory() + java.io.File.pathSeparator + runtime.classpath());
                command.add(WorkerLauncher.class.getName());
                command.add(properties.toString());
                // stdin stays a pipe that nobody writes to: WorkerLauncher halts the worker when it closes,
                // which happens only when this JVM is gone.
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                RUNNING.add(process);
                var started = new WorkerProcess(id, process, port, log);
                started.awaitRestApi(startTimeout);
                return started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** This worker's name, {@code <cluster>-<n>}: its log is {@code target/crash-workers/<name>.log}. */
    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:40123/}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Creates or updates a connector: {@code PUT /connectors/<name>/config}; retried while the group rebalances. */
    public JsonNode createConnector(String connector, Map<String, String> config) {
        return retryWhileRebalancing(() -> send("PUT", "connectors/" + connector + "/config", config));
    }

    /** {@code GET /connectors/<name>/status}, or null while the connector is unknown (404). */
    public JsonNode status(String connector) {
        Response response = send("GET", "connectors/" + connector + "/status", null);
        return response.status == 404 ? null : response.expectOk("status of " + connector);
    }

    /** {@code PUT /connector-plugins/<class>/config/validate}: Connect's answer, with errors per key. */
    public JsonNode validate(String connectorClass, Map<String, String> config) {
        return send("PUT", "connector-plugins/" + connectorClass + "/config/validate", config)
                .expectOk("validate " + connectorClass);
    }

    /** {@code GET <resource>}, e.g. {@code connector-plugins}; fails on a status other than 200. */
    public JsonNode get(String resource) {
        return send("GET", resource, null).expectOk("GET " + resource);
    }

    /** Stops the connector (PUT /connectors/{name}/stop) and waits until it is STOPPED with no task left. */
    public void stopConnector(String connector, Duration timeout) {
        retryWhileRebalancing(() -> send("PUT", "connectors/" + connector + "/stop", null));
        KafkaBroker.await(connector + " STOPPED with no task", timeout, () -> {
            JsonNode status = status(connector);
            return "STOPPED".equals(status.path("connector").path("state").asText()) && status.path("tasks").isEmpty();
        });
    }

    public void deleteConnector(String connector) {
        retryWhileRebalancing(() -> send("DELETE", "connectors/" + connector, null));
    }

    /**
     * Waits until the connector and exactly {@code tasks} tasks are RUNNING; fails at once, with the task's trace,
     * when one has FAILED, and with the log's last lines when the worker died.
     */
    public void awaitRunning(String connector, int tasks, Duration timeout) {
        KafkaBroker.await(connector + " RUNNING with " + tasks + " running tasks (worker " + name + ")", timeout, () -> {
            assertAlive();
            JsonNode status = status(connector);
            if (status == null) {
                return false;
            }
            int running = 0;
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    throw new AssertionError("task " + task.path("id") + " of " + connector + " failed: "
                            + task.path("trace").asText());
                }
                running += "RUNNING".equals(task.path("state").asText()) ? 1 : 0;
            }
            return "RUNNING".equals(status.path("connector").path("state").asText())
                    && running == tasks && status.path("tasks").size() == tasks;
        });
    }

    /**
     * SIGKILL: the worker dies at once, mid-whatever, as under an OOM kill or node loss. Waits for the process to
     * end and asserts that the kill ended it (exit status 128 + 9).
     */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
        RUNNING.remove(process);
        if (process.exitValue() != 137) {
            throw new AssertionError("worker " + name + " exited with " + process.exitValue()
                    + " instead of dying of SIGKILL (137); log: " + log);
        }
    }

    /** An orderly stop (SIGTERM, as Ctrl-C), then SIGKILL if the worker has not ended after 30 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    waitForExit(Duration.ofSeconds(30));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.remove(process);
    }

    /** The last lines of this worker's log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("worker " + name + " (pid " + pid() + ") still runs " + timeout + " after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("worker " + name + " exited with " + process.exitValue() + "; its log ends:\n"
                    + logTail(40));
        }
    }

    private void awaitRestApi(Duration timeout) {
        try {
            KafkaBroker.await("worker " + name + " answers on " + url(), timeout, () -> {
                assertAlive();
                try {
                    return request("GET", "connectors", null).status == 200;
                } catch (IOException e) {
                    return false; // not listening yet
                }
            });
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    private JsonNode retryWhileRebalancing(java.util.function.Supplier<Response> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Response response = call.get();
            // 409: a rebalance is in progress; 503/500 while the herder starts or a request is forwarded
            boolean retriable = response.status == 409 || response.status == 503
                    || (response.status == 500 && response.body.contains("rebalanc"));
            if (!retriable || System.nanoTime() > deadline) {
                return response.expectOk("request to worker " + name);
            }
            sleep(500);
        }
    }

    private Response send(String method, String resource, Object body) {
        assertAlive();
        try {
            return request(method, resource, body);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + resource + " on worker " + name, e);
        }
    }

    private Response request(String method, String resource, Object body) throws IOException {
        var builder = HttpRequest.newBuilder(URI.create(url() + resource)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private record Response(int status, String body) {
        JsonNode expectOk(String what) {
            if (status / 100 != 2) {
                throw new AssertionError(what + " answered " + status + ": " + body);
            }
            try {
                return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A directory holding only {@link WorkerLauncher}'s class file, so a foreign runtime's classpath stays clean. */
    private static synchronized Path launcherDirectory() throws IOException {
        Path dir = HOME.resolve("launcher");
        String resource = WorkerLauncher.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = WorkerLauncher.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    private static Path logConfig(String file, String text) throws IOException {
        Path path = HOME.resolve(file);
        Files.writeString(path, text);
        return path;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // Kafka 4.x workers log through Log4j 2, 3.x workers through reload4j: one config for each, same content.
    private static final String LOG4J2 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="out" target="SYSTEM_OUT">
                  <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c: %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="io.onramp" level="INFO"/>
                <Logger name="org.apache.kafka.connect" level="INFO"/>
                <Logger name="org.apache.kafka.connect.runtime.rest" level="WARN"/>
                <Root level="WARN"><AppenderRef ref="out"/></Root>
              </Loggers>
            </Configuration>
            """;
    private static final String LOG4J = """
            log4j.rootLogger=WARN, out
            log4j.appender.out=org.apache.log4j.ConsoleAppender
            log4j.appender.out.layout=org.apache.log4j.PatternLayout
            log4j.appender.out.layout.ConversionPattern=%d{HH:mm:ss.SSS} %-5p [%t] %c: %m%n
            log4j.logger.io.onramp=INFO
            log4j.logger.org.apache.kafka.connect=INFO
            log4j.logger.org.apache.kafka.connect.runtime.rest=WARN
            """;
}
