package io.onramp.connect.source.jdbc;

import io.onramp.connect.core.metrics.Counter;
import io.onramp.connect.core.metrics.MetricSet;
import io.onramp.connect.core.metrics.MetricsRegistration;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;

/**
 * The JMX metrics of one reader's id gap tracking ({@link GapTrackingReader}), as {@code io.onramp.connect:type=
 * jdbc-source-gap-metrics,connector=<connector>,target=<table, or "query">}: one bean per table, since a task reads
 * several and each tracks its own gaps. Updated by the poll loop, read from JMX.
 */
final class GapMetrics implements AutoCloseable {

    private final MetricSet metrics = new MetricSet("Id gap tracking of one table of a JDBC source task");
    final AtomicLong gapsOpen = new AtomicLong();
    final Counter gapsDroppedForCapacity = metrics.counter("GapsDroppedForCapacity",
            "gaps no longer looked for because more were open than the tracker keeps (a row filling them later is not read)");
    final Counter idsDroppedForCapacity = metrics.counter("IdsDroppedForCapacity", "the ids in those gaps");
    final Counter gapsTimedOut = metrics.counter("GapsTimedOut",
            "gaps given up after incrementing.gap.timeout.ms (taken for rollbacks or deleted rows)");
    final Counter idsTimedOut = metrics.counter("IdsTimedOut", "the ids in those gaps");
    private final MetricsRegistration registration;

    GapMetrics(String connector, String target) {
        metrics.gauge("GapsOpen", "gaps looked for now", Long.class, gapsOpen::get);
        registration = MetricsRegistration.register(name(connector, target), metrics);
    }

    static ObjectName name(String connector, String target) {
        var keys = new LinkedHashMap<String, String>();
        keys.put("type", "jdbc-source-gap-metrics");
        keys.put("connector", connector);
        keys.put("target", target);
        return MetricsRegistration.name(keys);
    }

    @Override
    public void close() {
        registration.close();
    }
}
