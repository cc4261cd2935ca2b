package io.onramp.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the quickstart jar as README tells users to, and watches it print the data product. */
class QuickstartIT {

    @TempDir
    Path workDir;

    @Test
    void printsTheCustomersExportAsRecordsWhileTheRestApiAnswers() throws Exception {
        Path jar = Paths.get(System.getProperty("onramp.quickstart.jar"));
        int port = Quickstart.freePort();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--rest-port", Integer.toString(port),
                "--work-dir", workDir.toString())
                .directory(workDir.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        List<String> records = new ArrayList<>();
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            String line;
            while (records.size() < 5 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith(Quickstart.TOPIC + " @")) {
                    records.add(line);
                }
            }
            var status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/connectors/crm-customers-csv/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("RUNNING");
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertThat(records).as("quickstart output:%n%s", String.join("\n", output)).hasSize(5);
        assertThat(records.get(0)).contains("\"id\":1001").contains("\"name\":\"Ada Lovelace\"").contains("\"balance\":1250.00");
        assertThat(records.get(1)).contains("Hopper, Grace");
        assertThat(output).as("the console shows the data product, not the broker's and worker's logs")
                .noneMatch(line -> line.contains(" INFO ") || line.contains(" DEBUG "));
    }
}
