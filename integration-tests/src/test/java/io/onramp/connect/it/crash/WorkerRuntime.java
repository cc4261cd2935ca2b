package io.onramp.connect.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Collectors;

/**
 * Which Kafka Connect a {@link WorkerProcess} runs: a version and the classpath of its JVM.
 *
 * <ul>
 *   <li>{@link #current()}: the runtime these tests are built on (Kafka 4.3.1), from the test JVM's own
 *       {@code java.class.path};</li>
 *   <li>{@link #connect39()}: Kafka Connect 3.9.1, the oldest version Onramp supports, from the jars that the
 *       {@code connect-worker-3.9} module copies into its {@code target/connect-3.9.1/} at build time (system
 *       property {@code onramp.connect39.classpath}); none of them is on the test classpath.</li>
 * </ul>
 */
public record WorkerRuntime(String version, String classpath) {

    /** The Connect runtime of the test JVM itself. */
    public static WorkerRuntime current() {
        return new WorkerRuntime(org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                System.getProperty("java.class.path"));
    }

    /** Kafka Connect 3.9.1 from its own directory of jars, resolved by Maven when integration-tests builds. */
    public static WorkerRuntime connect39() {
        Path dir = Paths.get(System.getProperty("onramp.connect39.classpath", "../connect-worker-3.9/target/connect-3.9.1"));
        assertThat(dir).as("the Connect 3.9 worker's jars; build with -am so connect-worker-3.9 runs first").isDirectory();
        try (var jars = Files.list(dir)) {
            String classpath = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted()
                    .map(jar -> jar.toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
            assertThat(classpath).as("jars in %s", dir).contains("connect-runtime-3.9.1.jar");
            return new WorkerRuntime("3.9.1", classpath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
