package io.onramp.connect.core.metrics;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetricSet} registered in the platform MBeanServer; {@link #close()} unregisters it. Register in a
 * task's {@code start()} (or a transform's {@code configure()}) and close in {@code stop()} ({@code close()}), so
 * a restarted task never leaks a bean:
 * <pre>{@code
 *     registration = MetricsRegistration.register(MetricsRegistration.taskName("jdbc-source", connector, task), metrics);
 *     ...
 *     registration.close();
 * }</pre>
 * Registration never fails a task: a JMX problem is logged and the metrics are simply not visible.
 */
public final class MetricsRegistration implements AutoCloseable {

    /** The JMX domain of every Onramp bean. */
    public static final String DOMAIN = "io.onramp.connect";

    private static final Logger log = LoggerFactory.getLogger(MetricsRegistration.class);

    /**
     * Makes {@link #register}'s replacing and {@link #close}'s check-then-unregister one step each: otherwise a
     * late close could check its bean, then unregister the successor that replaced it in between.
     */
    private static final Object REPLACING = new Object();

    private final MBeanServer server;
    private final ObjectName name;
    private final MetricSet metrics;

    private MetricsRegistration(MBeanServer server, ObjectName name, MetricSet metrics) {
        this.server = server;
        this.name = name;
        this.metrics = metrics;
    }

    /**
     * Debezium-style name of a connector task's bean: {@code io.onramp.connect:type=<kind>-task-metrics,connector=<name>,task=<n>},
     * e.g. kind {@code file-source} gives {@code type=file-source-task-metrics}.
     */
    public static ObjectName taskName(String kind, String connector, int task) {
        var keys = new LinkedHashMap<String, String>();
        keys.put("type", kind + "-task-metrics");
        keys.put("connector", connector);
        keys.put("task", Integer.toString(task));
        return name(keys);
    }

    /** {@code io.onramp.connect:k1=v1,k2=v2,...} in the given order, values quoted when JMX needs it. */
    public static ObjectName name(Map<String, String> keys) {
        var text = new StringBuilder(DOMAIN).append(':');
        keys.forEach((key, value) -> text.append(key).append('=').append(quoteIfNeeded(value)).append(','));
        text.setLength(text.length() - 1);
        try {
            return new ObjectName(text.toString());
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a JMX name: " + text, e);
        }
    }

    private static String quoteIfNeeded(String value) {
        return value.isEmpty() || value.chars().anyMatch(c -> ",=:\"*?\n\\".indexOf(c) >= 0) ? ObjectName.quote(value) : value;
    }

    /**
     * Registers {@code metrics} as {@code name}. A bean already there under that name is one a task of the same
     * connector and number left behind (a task restarted before its old instance stopped): it is replaced, and
     * that instance's {@link #close()}, when it comes, leaves this one's bean alone.
     */
    public static MetricsRegistration register(ObjectName name, MetricSet metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        synchronized (REPLACING) {
            try {
                if (server.isRegistered(name)) {
                    log.info("Replacing the metrics bean {} left by an earlier instance", name);
                    unregister(server, name);
                }
                server.registerMBean(metrics, name);
            } catch (JMException | javax.management.JMRuntimeException e) {
                // e.g. the set refuses a second name (a RuntimeMBeanException): metrics never fail a task
                log.warn("Cannot register the metrics bean {}: {}", name, e.toString());
            }
        }
        return new MetricsRegistration(server, name, metrics);
    }

    /**
     * Registers {@code metrics} under {@code keys} plus {@code instance=<n>}, n the lowest number free: for beans
     * of instances that cannot know a unique name themselves (a transform knows neither its connector's task nor
     * its alias). Numbers are given in registration order and reused once freed.
     */
    public static MetricsRegistration registerNumbered(Map<String, String> keys, MetricSet metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (int instance = 0; instance < 10_000; instance++) {
            var numbered = new LinkedHashMap<>(keys);
            numbered.put("instance", Integer.toString(instance));
            ObjectName name = name(numbered);
            if (server.isRegistered(name)) {
                continue;
            }
            try {
                server.registerMBean(metrics, name);
                return new MetricsRegistration(server, name, metrics);
            } catch (InstanceAlreadyExistsException e) {
                // another instance took this number between the check and the registration: try the next one
            } catch (JMException | javax.management.JMRuntimeException e) {
                log.warn("Cannot register the metrics bean {}: {}", name, e.toString());
                return new MetricsRegistration(server, name, metrics);
            }
        }
        throw new IllegalStateException("no free instance number for metrics " + keys);
    }

    public ObjectName name() {
        return name;
    }

    /**
     * Unregisters the bean if it is still this registration's; safe to call twice, and when it was never
     * registered. A bean registered under the name since (a new instance of the task, started because this one
     * stopped late; or, for a numbered bean, one that took the freed number) is another instance's and stays.
     */
    @Override
    public void close() {
        synchronized (REPLACING) {
            if (metrics.isRegisteredAs(name)) {
                unregister(server, name);
            }
        }
    }

    private static void unregister(MBeanServer server, ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // already gone
        } catch (JMException e) {
            log.warn("Cannot unregister the metrics bean {}: {}", name, e.toString());
        }
    }
}
