package io.onramp.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quickstart jar as README tells users to, watches it print the data product, uses the Kafka address it
 * prints, and stops it with SIGTERM (what Ctrl-C's SIGINT and a service manager's stop amount to).
 */
class QuickstartIT {

    @TempDir
    Path workDir;

    @Test
    void printsReadableRecordsAndTheKafkaAddressAndStopsCleanlyOnSigterm() throws Exception {
        Path jar = Paths.get(System.getProperty("onramp.quickstart.jar"));
        int restPort = Quickstart.freePort();
        int kafkaPort = Quickstart.freePort();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--rest-port", Integer.toString(restPort),
                "--kafka-port", Integer.toString(kafkaPort), "--work-dir", workDir.toString())
                .directory(workDir.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        List<String> records = new ArrayList<>();
        String bootstrap = null;
        var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            String line;
            while (records.size() < 5 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("  Kafka:         bootstrap servers ")) {
                    bootstrap = line.substring("  Kafka:         bootstrap servers ".length()).trim();
                }
                if (line.startsWith(Quickstart.TOPIC + " @")) {
                    records.add(line);
                }
            }
            var status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + restPort + "/connectors/crm-customers-csv/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("RUNNING");
            assertThat(bootstrap).as("the bootstrap address printed; console:%n%s", String.join("\n", output))
                    .isEqualTo("localhost:" + kafkaPort);
            try (var socket = new java.net.Socket("localhost", kafkaPort)) {
                assertThat(socket.isConnected()).as("the broker listens on --kafka-port").isTrue();
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .as("the printed bootstrap address reaches the broker").contains(Quickstart.TOPIC);
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .as("clients that bootstrap there are sent back to the same port, not the test kit's own")
                        .singleElement().satisfies(node -> assertThat(node.port()).isEqualTo(kafkaPort));
            }
        } catch (Throwable e) {
            process.destroyForcibly();
            throw e;
        }

        long stopping = System.nanoTime();
        // SIGTERM by kill(1): Process.destroy() would also close the streams this test still reads.
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        long stopSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping);
        if (!exited) {
            process.destroyForcibly();
        }
        List<String> afterStop = new ArrayList<>();
        for (String line; (line = lines.readLine()) != null; ) {
            afterStop.add(line);
        }
        output.addAll(afterStop);
        String console = String.join("\n", output);
        String printed = bootstrap;

        assertThat(exited).as("exited within 90 s of SIGTERM; console:%n%s", console).isTrue();
        assertThat(process.exitValue()).as("exit code after SIGTERM; console:%n%s", console).isZero();
        System.out.println("QuickstartIT: exited " + stopSeconds + " s after SIGTERM");
        assertThat(stopSeconds).as("seconds from SIGTERM to exit").isLessThan(30);
        assertThat(output).as("console").contains("  Kafka:         bootstrap servers " + printed)
                .anyMatch(line -> line.contains("kafka-console-consumer.sh --bootstrap-server " + printed
                        + " --topic " + Quickstart.TOPIC + " --from-beginning"));
        assertThat(records).as("quickstart output:%n%s", console).hasSize(5);
        assertThat(records.get(0)).contains("\"id\":1001").contains("\"name\":\"Ada Lovelace\"")
                .contains("\"birth_date\":\"1815-12-10\"").contains("\"balance\":1250.00")
                .contains("\"signed_up\":\"2019-03-01T09:30:00Z\"");
        assertThat(records.get(1)).contains("Hopper, Grace");
        assertThat(records.get(3)).contains("\"birth_date\":null").contains("\"balance\":-12.40");
        assertThat(output).as("the console shows the data product, not the broker's and worker's logs")
                .noneMatch(line -> line.contains(" INFO ") || line.contains(" DEBUG ") || line.contains(" WARN "))
                .noneMatch(line -> line.contains("ERROR") || line.startsWith("\tat ") || line.contains("Exception"))
                .noneMatch(line -> line.contains("Formatting") || line.contains("metadata directory"));
        String log = Files.readString(workDir.resolve("onramp-quickstart.log"));
        assertThat(log).as("the broker's files stay until it has stopped")
                .doesNotContain("KafkaStorageException").doesNotContain("NoSuchFileException");
        assertThat(log.lines()).as("the log of the whole run, shutdown included, has no ERROR and no stack trace")
                .noneMatch(line -> line.contains(" ERROR ") || line.startsWith("\tat "));
    }
}
