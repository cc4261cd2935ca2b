package io.onramp.connect.transforms;

import io.onramp.connect.core.OnrampVersion;
import io.onramp.connect.core.config.CrossKeyValidation;
import io.onramp.connect.core.metrics.MetricSet;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * What every Onramp transform shares: the build version, its {@link ConfigDef}, one {@link #load} of the config
 * that both {@code configure()} and the connectors' validate (through {@link CrossKeyValidation}) run, and the JMX
 * bean of its metrics. {@code configure} and {@code validateCrossKeys} are final so that what passes validate is
 * what runs; {@code close} is final so that no transform leaks its bean.
 */
public abstract class OnrampTransform<R extends ConnectRecord<R>>
        implements Transformation<R>, Versioned, CrossKeyValidation {

    private final ConfigDef configDef;
    private final TransformMetrics.Bean bean = new TransformMetrics.Bean();
    /** The metrics the running {@link #load} made, for configure() to register; null when it made none. */
    private MetricSet loadedMetrics;

    protected OnrampTransform(ConfigDef configDef) {
        this.configDef = configDef;
    }

    /**
     * Reads {@code config} into the transform's fields and checks the rules that span keys (a
     * {@link org.apache.kafka.common.config.ConfigException} or
     * {@link io.onramp.connect.core.config.KeyedConfigException} naming the key). It also runs on every validate
     * of a connector that names the transform, on a throwaway instance: no side effects beyond the fields.
     */
    protected abstract void load(AbstractConfig config);

    /**
     * For {@link #load}: a new set of metrics, which {@code configure()} registers as the transform's JMX bean
     * (replacing an earlier configure's) once {@code load} returned; {@code validateCrossKeys} registers nothing.
     */
    protected final MetricSet newMetrics(String name) {
        loadedMetrics = new MetricSet(name);
        return loadedMetrics;
    }

    /** What {@code close()} releases besides the metrics bean (caches of compiled plans); nothing by default. */
    protected void release() {
    }

    @Override
    public final String version() {
        return OnrampVersion.get();
    }

    @Override
    public final ConfigDef config() {
        return configDef;
    }

    @Override
    public final void configure(Map<String, ?> props) {
        loadedMetrics = null;
        load(new AbstractConfig(configDef, props, false));
        if (loadedMetrics != null) {
            bean.register(getClass(), props, loadedMetrics);
        }
    }

    @Override
    public final void validateCrossKeys(Map<String, String> props) {
        load(new AbstractConfig(configDef, props, false));
    }

    @Override
    public final void close() {
        bean.close();
        release();
    }
}
