package io.onramp.benchmarks;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** What a worker gives a source task that starts for the first time: its config, no committed offsets. */
record FreshTaskContext(Map<String, String> configs) implements SourceTaskContext {

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return null;
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                return Map.of();
            }
        };
    }

    /** Kafka 4.x asks for plugin metrics (KIP-877); the benchmarks register none. */
    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
