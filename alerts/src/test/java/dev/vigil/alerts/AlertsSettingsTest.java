package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlertsSettingsTest {

    private final AlertsSettings settings = AlertsSettings.of("127.0.0.1:9092", Routing.empty());

    @Test
    void anInstanceIdIsKafkasKindOfName() {
        assertThat(settings.withInstanceId("alerts-1").instanceId()).isEqualTo("alerts-1");
        assertThat(settings.withInstanceId("x".repeat(128)).instanceId()).hasSize(128);
        assertThat(settings.withInstanceId(null).instanceId()).isNull();
    }

    @Test
    void aBadInstanceIdSaysWhichAndWhatIsWrong() {
        assertThatThrownBy(() -> settings.withInstanceId("pod 1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instanceId: expected 1 to 128 letters, digits, '.', '_' or '-', found 'pod 1' (' ' is not one)");
        assertThatThrownBy(() -> settings.withInstanceId("")).hasMessage("instanceId: expected 1 to 128 letters, digits, '.', '_' or '-', found nothing");
        assertThatThrownBy(() -> settings.withInstanceId("x".repeat(129))).hasMessageStartingWith("instanceId: expected 1 to 128 ")
                .hasMessageContaining("found 129 characters");
        // Kafka would refuse it when the instance joins the group: refused before that, with the reason
        assertThatThrownBy(() -> settings.withInstanceId("..")).hasMessageContaining("Kafka refuses '.' and '..'");
    }
}
