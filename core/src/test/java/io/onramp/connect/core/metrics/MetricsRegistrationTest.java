package io.onramp.connect.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class MetricsRegistrationTest {

    private static Object read(ObjectName name, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
    }

    private static boolean registered(ObjectName name) {
        return ManagementFactory.getPlatformMBeanServer().isRegistered(name);
    }

    @Test
    void aTaskBeanIsNamedLikeDebeziumsAndReadThroughJmxUntilClosed() throws Exception {
        var metrics = new MetricSet("test");
        Counter files = metrics.counter("FilesFinished", "files");
        var last = metrics.value("LastFile", "last file", String.class);
        files.add(3);
        last.set("a.csv");

        ObjectName name;
        try (var registration = MetricsRegistration.register(MetricsRegistration.taskName("file-source", "crm-customers", 2), metrics)) {
            name = registration.name();
            assertThat(name.toString()).isEqualTo("io.onramp.connect:type=file-source-task-metrics,connector=crm-customers,task=2");
            assertThat(read(name, "FilesFinished")).isEqualTo(3L);
            assertThat(read(name, "LastFile")).isEqualTo("a.csv");
            files.increment();
            assertThat(read(name, "FilesFinished")).isEqualTo(4L);
        }
        assertThat(registered(name)).isFalse();
    }

    @Test
    void aRestartedTaskReplacesTheBeanItsPredecessorLeftAndClosingTwiceIsHarmless() throws Exception {
        ObjectName name = MetricsRegistration.taskName("file-source", "restarted", 0);
        var old = new MetricSet("old");
        old.counter("RecordsRead", "r").add(5);
        var leftBehind = MetricsRegistration.register(name, old);
        var fresh = new MetricSet("fresh");
        fresh.counter("RecordsRead", "r");

        var registration = MetricsRegistration.register(name, fresh);

        assertThat(read(name, "RecordsRead")).isEqualTo(0L);
        registration.close();
        registration.close();
        leftBehind.close();
        assertThat(registered(name)).isFalse();
    }

    @Test
    void anOldInstanceStoppedAfterItsSuccessorStartedLeavesTheSuccessorsBean() throws Exception {
        // Connect starts a new task instance when the old one's stop() is late (task.shutdown.graceful.timeout.ms):
        // the old instance's close() then comes after the new one registered under the same name.
        ObjectName name = MetricsRegistration.taskName("file-source", "late-stop", 0);
        var oldMetrics = new MetricSet("old");
        oldMetrics.counter("RecordsRead", "r").add(5);
        var newMetrics = new MetricSet("new");
        newMetrics.counter("RecordsRead", "r").add(7);
        var old = MetricsRegistration.register(name, oldMetrics);
        var fresh = MetricsRegistration.register(name, newMetrics);

        old.close();

        assertThat(registered(name)).isTrue();
        assertThat(read(name, "RecordsRead")).isEqualTo(7L);
        fresh.close();
        assertThat(registered(name)).isFalse();
    }

    @Test
    void aNumberedBeanClosedTwiceLeavesTheBeanThatTookItsNumberMeanwhile() throws Exception {
        Map<String, String> keys = transformKeys("closed-twice");
        var first = MetricsRegistration.registerNumbered(keys, new MetricSet("a"));
        first.close();
        try (var second = MetricsRegistration.registerNumbered(keys, new MetricSet("b"))) {
            assertThat(second.name()).isEqualTo(first.name());

            first.close();

            assertThat(registered(second.name())).isTrue();
        }
        assertThat(registered(first.name())).isFalse();
    }

    @Test
    void connectorNamesThatJmxCannotTakeAsIsAreQuoted() {
        ObjectName name = MetricsRegistration.taskName("file-source", "crm,customers=v1:*", 0);

        assertThat(ObjectName.unquote(name.getKeyProperty("connector"))).isEqualTo("crm,customers=v1:*");
    }

    @Test
    void numberedBeansTakeTheLowestFreeInstance() throws Exception {
        Map<String, String> keys = transformKeys("numbered");

        try (var first = MetricsRegistration.registerNumbered(keys, new MetricSet("a"));
             var second = MetricsRegistration.registerNumbered(keys, new MetricSet("b"))) {
            assertThat(first.name().getKeyProperty("instance")).isEqualTo("0");
            assertThat(second.name().getKeyProperty("instance")).isEqualTo("1");
            first.close();
            try (var third = MetricsRegistration.registerNumbered(keys, new MetricSet("c"))) {
                assertThat(third.name().getKeyProperty("instance")).isEqualTo("0");
            }
        }
    }

    /** The keys of a ContractValidate transform's numbered beans under {@code connector}. */
    private static Map<String, String> transformKeys(String connector) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("type", "transform-metrics");
        keys.put("connector", connector);
        keys.put("transform", "ContractValidate");
        return keys;
    }

}
