package io.onramp.connect.source.outbox;

import java.lang.management.ManagementFactory;
import io.onramp.connect.core.metrics.Counter;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX metrics of one outbox source task, as {@code io.onramp.connect:type=connector-metrics,context=outbox,
 * server=<connector>,task=<n>} (Debezium's naming). Counters only; safe to update from the poll loop and read
 * from JMX.
 */
final class OutboxSourceMetrics implements OutboxSourceMXBean {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSourceMetrics.class);

    final AtomicLong rowsDelivered = new AtomicLong();
    final AtomicLong rowsDeleted = new AtomicLong();
    final AtomicLong gapsProvedEmpty = new AtomicLong();
    final AtomicLong gapsGivenUp = new AtomicLong();
    final AtomicLong idsGivenUp = new AtomicLong();
    final Counter invalidDropped = new Counter();
    final Counter invalidQuarantined = new Counter();
    private ObjectName name;

    /** Registers the bean; a name already taken (a task restarting in the same JVM) is replaced. */
    void register(String connector, int task) {
        try {
            name = new ObjectName("io.onramp.connect:type=connector-metrics,context=outbox,server="
                    + ObjectName.quote(connector) + ",task=" + task);
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(this, OutboxSourceMXBean.class, true), name);
        } catch (JMException e) {
            LOG.warn("Cannot register the outbox source metrics: {}", e.getMessage());
            name = null;
        }
    }

    void unregister() {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.debug("Cannot unregister {}: {}", name, e.getMessage());
        }
        name = null;
    }

    @Override
    public long getRowsDelivered() {
        return rowsDelivered.get();
    }

    @Override
    public long getRowsDeleted() {
        return rowsDeleted.get();
    }

    @Override
    public long getGapsProvedEmpty() {
        return gapsProvedEmpty.get();
    }

    @Override
    public long getGapsGivenUp() {
        return gapsGivenUp.get();
    }

    @Override
    public long getIdsGivenUp() {
        return idsGivenUp.get();
    }

    @Override
    public long getInvalidDropped() {
        return invalidDropped.get();
    }

    @Override
    public long getInvalidQuarantined() {
        return invalidQuarantined.get();
    }
}
