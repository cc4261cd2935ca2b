package io.onramp.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuickstartOptionsTest {

    @Test
    void kafkaListensOn9092UnlessAnotherPortIsGiven() {
        assertThat(QuickstartOptions.parse(new String[0]).kafkaPort()).isEqualTo(9092);
        assertThat(QuickstartOptions.parse(new String[] {"--kafka-port", "19092"}).kafkaPort()).isEqualTo(19092);
    }

    @Test
    void aPortThatIsNoPortIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> QuickstartOptions.parse(new String[] {"--kafka-port", "70000"}))
                .hasMessageStartingWith("--kafka-port needs a port number from 1 to 65535, not '70000'");
        assertThatThrownBy(() -> QuickstartOptions.parse(new String[] {"--kafka-port"}))
                .hasMessageStartingWith("--kafka-port needs a value");
    }
}
