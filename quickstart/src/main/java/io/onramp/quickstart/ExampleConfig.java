package io.onramp.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A connector config from the plugin's etc/ (config-examples), moved onto the quickstart's directories. */
final class ExampleConfig {

    private ExampleConfig() {
    }

    static String load(Path component, String exampleFile, Path workDir) throws IOException {
        Path etc = component.resolve("etc");
        String text = Files.readString(etc.resolve(exampleFile))
                .replace("/etc/onramp/contracts", etc.resolve("contracts").toString())
                .replace("/var/spool/onramp", workDir.toString());
        var mapper = new ObjectMapper();
        ObjectNode example = (ObjectNode) mapper.readTree(text);
        ((ObjectNode) example.get("config")).put("file.min.age.ms", "1000");
        return mapper.writeValueAsString(example);
    }
}
