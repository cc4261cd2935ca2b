package io.onramp.quickstart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;

/**
 * One command to see Onramp work: an in-process KRaft broker, a Connect worker with its REST API on
 * localhost:8083 and the packaged plugin on its plugin.path, a legacy CSV export in a spool directory, and the
 * file source created from config-examples through REST. Prints the data product's records until Ctrl-C.
 */
public final class Quickstart {

    static final String TOPIC = "crm.customers.v1";
    static final String EXAMPLE = "file-source-csv.json";

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        // Kafka's test jars carry a log4j2.yaml that log4j would prefer to ours and that logs everything to the
        // console; name ours before the first logger is made, so the console shows the data product only.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "onramp-quickstart-log4j2.xml");
        }
        QuickstartOptions options = QuickstartOptions.parse(args);
        Path component = PluginLocation.component();
        Path workDir = options.workDir() != null ? options.workDir() : Files.createTempDirectory("onramp-quickstart");

        String bootstrap = "localhost:" + options.kafkaPort();
        requireFree(options.kafkaPort(), "--kafka-port");
        say("Starting a single-node KRaft broker on " + bootstrap + " ...");
        var broker = brokerListeners(options.kafkaPort());
        // One broker: the transaction log must fit on it for the exactly-once worker.
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("transaction.state.log.num.partitions", "1");
        var kafka = new EmbeddedKafkaCluster(1, broker);
        startQuietly(kafka);

        say("Starting a Connect worker with " + component.getFileName() + " on plugin.path ...");
        WorkerHandle worker = WorkerHandle.start("onramp-quickstart", workerProps(bootstrap, component.getParent(),
                options.restPort()));
        var rest = new ConnectRest("http://localhost:" + options.restPort());
        rest.awaitReady();

        Path incoming = SampleData.writeCustomersExport(workDir);
        String connector = rest.createConnector(ExampleConfig.load(component, EXAMPLE, workDir));
        say("Created connector '" + connector + "' through POST " + rest.base() + "/connectors");
        say("");
        say("  REST API:      " + rest.base() + "   (try: curl " + rest.base() + "/connectors/" + connector + "/status)");
        say("  Input files:   " + incoming + "   (drop more customers-*.csv files here)");
        say("  Data product:  topic " + TOPIC);
        say("  Kafka:         bootstrap servers " + bootstrap);
        say("  Consume it:    bin/kafka-console-consumer.sh --bootstrap-server " + bootstrap
                + " --topic " + TOPIC + " --from-beginning --isolation-level read_committed");
        say("");
        say("Records of " + TOPIC + " as they arrive (Ctrl-C to stop):");

        var printer = new RecordPrinter(kafka, TOPIC);
        Shutdown.onTerminate(printer::stop);
        printer.run();
        // Stopped by Ctrl-C or SIGTERM: stop the worker, then the broker, and only then let the JVM exit. Kafka's
        // test kit deletes its directories in a JVM shutdown hook, so the JVM must not shut down while they run.
        say("Stopping ...");
        worker.stop();
        kafka.stop();
        say("Stopped.");
        System.exit(0);
    }

    /**
     * The broker's listeners, with the users' one on a fixed port. Kafka's test kit binds the listeners it names
     * itself (EXTERNAL for clients, CONTROLLER for KRaft) to free ports before the broker starts and hands the
     * broker those sockets whatever port its config asks for: a fixed port on EXTERNAL is silently ignored. So the
     * fixed port is a listener of its own, which the kit does not pre-bind; the kit's two keep their free ports.
     */
    static Properties brokerListeners(int kafkaPort) {
        var broker = new Properties();
        broker.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,QUICKSTART://localhost:" + kafkaPort);
        broker.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,QUICKSTART:PLAINTEXT");
        return broker;
    }

    /** Fails with a sentence naming the option when another program already listens on the port. */
    private static void requireFree(int port, String option) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " is in use on localhost (another Kafka?); choose another with "
                    + option + " N");
        }
    }

    /**
     * Starts the broker with System.out silenced: formatting its KRaft storage prints to stdout, which is the
     * data product's console here.
     */
    private static void startQuietly(EmbeddedKafkaCluster kafka) {
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            kafka.start();
        } finally {
            System.setOut(console);
        }
    }

    private static Map<String, String> workerProps(String bootstrapServers, Path pluginPath, int restPort) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "onramp-quickstart");
        props.put("listeners", "http://localhost:" + restPort);
        props.put("plugin.path", pluginPath.toString());
        props.put("plugin.discovery", "service_load");
        props.put("config.storage.topic", "connect-configs");
        props.put("offset.storage.topic", "connect-offsets");
        props.put("status.storage.topic", "connect-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.flush.interval.ms", "1000");
        props.put("exactly.once.source.support", "enabled");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("key.converter.schemas.enable", "false");
        props.put("value.converter.schemas.enable", "true"); // the printer reads dates and decimals by their schema
        props.put("value.converter.decimal.format", "NUMERIC");
        return props;
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The component directory unpacked next to the quickstart jar (target/plugins/onramp-kafka-connect-*). */
    static final class PluginLocation {
        static Path component() throws Exception {
            Path jarDir = Paths.get(Quickstart.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            Path plugins = jarDir.resolve("plugins");
            try (var dirs = Files.list(plugins)) {
                return dirs.filter(Files::isDirectory).findFirst().orElseThrow(() -> new IllegalStateException(
                        "no plugin under " + plugins + "; build it with ./mvnw -q package -DskipTests"));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalStateException("no plugin under " + plugins + "; build it with ./mvnw -q package -DskipTests", e);
            }
        }
    }
}
