package io.onramp.connect.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanRegistration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * Named, documented metrics exposed as one read-only JMX MBean. Define them all before registering:
 * <pre>{@code
 *     var metrics = new MetricSet("File source task metrics");
 *     Counter files = metrics.counter("FilesFinished", "Files moved to finished.path");
 *     metrics.gauge("LastFile", "Name of the last file taken", String.class, () -> lastFile);
 *     MetricsRegistration registration = MetricsRegistration.register(name, metrics);
 * }</pre>
 * Attribute names are CamelCase, like Debezium's; counters are {@code long}.
 */
public final class MetricSet implements DynamicMBean, MBeanRegistration {

    private record Metric(MBeanAttributeInfo info, Supplier<?> value) {
    }

    private final String description;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    /**
     * The name this set is registered under, null while it is not. JMX itself tells the set (below), so that a
     * registration closed late can tell its own bean from a newer one registered under the same name since.
     */
    private final AtomicReference<ObjectName> registeredAs = new AtomicReference<>();

    public MetricSet(String description) {
        this.description = description;
    }

    /** A new counter exposed as the {@code long} attribute {@code name}. */
    public Counter counter(String name, String description) {
        var counter = new Counter();
        add(name, description, Long.class, counter::get);
        return counter;
    }

    /** An attribute whose value is read from {@code value} on every JMX read. */
    public <T> void gauge(String name, String description, Class<T> type, Supplier<? extends T> value) {
        add(name, description, type, value);
    }

    /** A settable value exposed as an attribute (e.g. the last file's name), null until first set. */
    public <T> AtomicReference<T> value(String name, String description, Class<T> type) {
        var ref = new AtomicReference<T>();
        add(name, description, type, ref::get);
        return ref;
    }

    private void add(String name, String description, Class<?> type, Supplier<?> value) {
        if (metrics.containsKey(name)) {
            throw new IllegalArgumentException("metric " + name + " is defined twice");
        }
        metrics.put(name, new Metric(new MBeanAttributeInfo(name, type.getName(), description, true, false, false), value));
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Metric metric = metrics.get(attribute);
        if (metric == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return metric.value().get();
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        var list = new AttributeList();
        for (String name : attributes) {
            Metric metric = metrics.get(name);
            if (metric != null) {
                list.add(new Attribute(name, metric.value().get()));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new UnsupportedOperationException(actionName), "no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<MBeanAttributeInfo> infos = new ArrayList<>();
        metrics.values().forEach(metric -> infos.add(metric.info()));
        return new MBeanInfo(MetricSet.class.getName(), description, infos.toArray(MBeanAttributeInfo[]::new),
                null, new MBeanOperationInfo[0], new MBeanNotificationInfo[0]);
    }

    /** Whether this set is the bean registered as {@code name} right now. */
    boolean isRegisteredAs(ObjectName name) {
        return name.equals(registeredAs.get());
    }

    @Override
    public ObjectName preRegister(MBeanServer server, ObjectName name) {
        // One name at a time: a second one would leave the first unable to tell whether it is still this set.
        if (!registeredAs.compareAndSet(null, name)) {
            throw new IllegalStateException("the metrics '" + description + "' are already registered as "
                    + registeredAs.get());
        }
        return name;
    }

    @Override
    public void postRegister(Boolean registrationDone) {
        if (!registrationDone) {
            registeredAs.set(null);
        }
    }

    @Override
    public void preDeregister() {
    }

    @Override
    public void postDeregister() {
        registeredAs.set(null);
    }
}
