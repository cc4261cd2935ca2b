package io.onramp.connect.transforms;

import io.onramp.connect.core.metrics.MetricSet;
import io.onramp.connect.core.metrics.MetricsRegistration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The JMX bean of one transform instance:
 * {@code io.onramp.connect:type=transform-metrics,connector=<connector.name>,transform=<class>,instance=<n>}.
 *
 * <p>Connect tells a transform neither its connector, nor its task, nor its alias. So the connector part comes from
 * the transform's own {@value #CONNECTOR_NAME} key ({@code unnamed} when unset), the class part is the transform's
 * class ({@code ContractValidate}, {@code FieldProtect$Value}), and {@code instance} is the lowest number free among
 * beans with the same other parts: each task of a connector has its own instance of each transform, numbered in
 * the order the tasks configured them (instance 0 with one task and one such transform).
 */
public final class TransformMetrics {

    public static final String CONNECTOR_NAME = "connector.name";
    public static final String UNNAMED = "unnamed";

    private TransformMetrics() {
    }

    /** Adds {@value #CONNECTOR_NAME}, for the metrics bean's name, to {@code def}. */
    public static ConfigDef defineConnectorName(ConfigDef def, String group, int order) {
        return def.define(CONNECTOR_NAME, Type.STRING, null, Importance.LOW,
                "The name of the connector this transform runs in, used to name its JMX metrics bean "
                        + "(io.onramp.connect:type=transform-metrics,connector=<this>,...): Connect does not tell "
                        + "transforms which connector runs them. Unset means '" + UNNAMED + "'.",
                group, order, Width.MEDIUM, "Connector name");
    }

    /** Registers {@code metrics} for an instance of {@code transform}. */
    public static MetricsRegistration register(Class<?> transform, String connectorName, MetricSet metrics) {
        var keys = new LinkedHashMap<String, String>();
        keys.put("type", "transform-metrics");
        keys.put("connector", connectorName == null || connectorName.isBlank() ? UNNAMED : connectorName);
        keys.put("transform", transform.getName().substring(transform.getPackageName().length() + 1));
        return MetricsRegistration.registerNumbered(keys, metrics);
    }

    /**
     * The bean of one transform instance over its life: {@link #register} on every configure (replacing the bean of
     * an earlier configure), {@link #close} on close, so a reconfigured or closed transform never leaks a bean.
     */
    public static final class Bean implements AutoCloseable {

        private MetricsRegistration registration;

        /** Registers {@code metrics} for {@code transform}, named by the {@value #CONNECTOR_NAME} in {@code props}. */
        public void register(Class<?> transform, Map<String, ?> props, MetricSet metrics) {
            close();
            Object connector = props.get(CONNECTOR_NAME);
            registration = TransformMetrics.register(transform, connector == null ? null : connector.toString(), metrics);
        }

        @Override
        public void close() {
            if (registration != null) {
                registration.close();
                registration = null;
            }
        }
    }
}
