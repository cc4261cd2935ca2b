package io.onramp.connect.source.jdbc;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX metrics of one reader's id gap tracking, as {@code io.onramp.connect:type=connector-metrics,
 * context=jdbc-source-gaps,server=<connector>,target=<table or "query">}. Updated by the poll loop, read from JMX.
 */
final class GapMetrics implements GapMetricsMXBean {

    private static final Logger log = LoggerFactory.getLogger(GapMetrics.class);

    final AtomicLong gapsOpen = new AtomicLong();
    final AtomicLong gapsDroppedForCapacity = new AtomicLong();
    final AtomicLong idsDroppedForCapacity = new AtomicLong();
    final AtomicLong gapsTimedOut = new AtomicLong();
    final AtomicLong idsTimedOut = new AtomicLong();
    private ObjectName name;

    static ObjectName name(String connector, String target) throws JMException {
        return new ObjectName("io.onramp.connect:type=connector-metrics,context=jdbc-source-gaps,server="
                + ObjectName.quote(connector) + ",target=" + ObjectName.quote(target));
    }

    /** Registers the bean; a name already taken (a task restarting in the same JVM) is replaced. */
    void register(String connector, String target) {
        try {
            name = name(connector, target);
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(this, GapMetricsMXBean.class, true), name);
        } catch (JMException e) {
            log.warn("Cannot register the gap tracking metrics of {}: {}", target, e.getMessage());
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
            log.debug("Cannot unregister {}: {}", name, e.getMessage());
        }
        name = null;
    }

    @Override
    public long getGapsOpen() {
        return gapsOpen.get();
    }

    @Override
    public long getGapsDroppedForCapacity() {
        return gapsDroppedForCapacity.get();
    }

    @Override
    public long getIdsDroppedForCapacity() {
        return idsDroppedForCapacity.get();
    }

    @Override
    public long getGapsTimedOut() {
        return gapsTimedOut.get();
    }

    @Override
    public long getIdsTimedOut() {
        return idsTimedOut.get();
    }
}
