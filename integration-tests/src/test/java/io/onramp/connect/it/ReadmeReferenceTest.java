package io.onramp.connect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * README's configuration reference must be what the packaged plugins' ConfigDefs say. To refresh it:
 * {@code ./mvnw -q verify -pl integration-tests -am -DskipTests=false -Dtest=ReadmeReferenceTest -Donramp.readme.update=true}.
 */
class ReadmeReferenceTest {

    @Test
    void readmeConfigReferenceMatchesTheConfigDefs() throws Exception {
        Path readme = Paths.get(System.getProperty("onramp.readme", "../README.md"));
        String text = Files.readString(readme);
        String generated;
        try (PluginInventory plugin = PluginInventory.open()) {
            generated = ConfigReference.render(plugin);
        }
        int start = text.indexOf(ConfigReference.START);
        int end = text.indexOf(ConfigReference.END);
        assertThat(start).as("README.md must hold the reference markers").isNotNegative();
        assertThat(end).isGreaterThan(start);
        String current = text.substring(start, end + ConfigReference.END.length());
        if (Boolean.getBoolean("onramp.readme.update") && !current.equals(generated)) {
            Files.writeString(readme, text.substring(0, start) + generated + text.substring(end + ConfigReference.END.length()));
            return;
        }
        assertThat(current).as("README's reference is stale; regenerate it with -Donramp.readme.update=true (see this test's javadoc)")
                .isEqualTo(generated);
    }
}
