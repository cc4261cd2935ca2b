package io.onramp.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The file source settings both task-driving benchmarks share: a spool directory read as fast as it can be. */
final class SpoolProps {

    private SpoolProps() {
    }

    static Map<String, String> csv(String topic, Path in, Path finished, Path error, Path contract) {
        var props = new HashMap<String, String>();
        props.put("topic", topic);
        props.put("input.path", in.toString());
        props.put("finished.path", finished.toString());
        props.put("error.path", error.toString());
        props.put("file.min.age.ms", "0");
        props.put("poll.interval.ms", "10");
        props.put("batch.size", "10000");
        props.put("input.format", "csv");
        props.put("csv.header", "true");
        if (contract != null) {
            props.put("contract.file", contract.toString());
        }
        return props;
    }
}
