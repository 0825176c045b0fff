package dev.vigil.model.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil-ingest\" password=\"pw-1234\";";

    private final KafkaConnection sasl = KafkaConnection.to("b1:9093,b2:9093").withProperties(Map.of(
            "security.protocol", "sasl_ssl", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/trust.p12", "ssl.truststore.password", "store-pw"));

    @Test
    void everyClientStartsFromTheBootstrapServersAndTheSharedProperties() {
        for (var p : java.util.List.of(sasl.admin(), sasl.producer(), sasl.consumer(), sasl.streams())) {
            assertThat(p).containsEntry("bootstrap.servers", "b1:9093,b2:9093").containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("security.protocol", "sasl_ssl");
        }
        // each call is a fresh copy: one client's settings never leak into the next
        sasl.producer().put("acks", "all");
        assertThat(sasl.producer()).doesNotContainKey("acks");
    }

    @Test
    void aDurableProducerWaitsForEveryInSyncReplicaAndNeverWritesTwiceOnTopOfTheSharedProperties() {
        assertThat(sasl.durableProducer("vigil-alerts-ledger")).containsAllEntriesOf(sasl.producer())
                .containsEntry("client.id", "vigil-alerts-ledger").containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }

    @Test
    void saysWhoItIsWithoutThePassword() {
        assertThat(sasl.principal()).isEqualTo("user vigil-ingest (SCRAM-SHA-512)");
        assertThat(sasl.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(KafkaConnection.to("k:9092").principal()).isEqualTo("an anonymous client (PLAINTEXT)");
        assertThat(KafkaConnection.to("k:9093").withProperties(Map.of("security.protocol", "SSL", "ssl.keystore.location", "/etc/me.p12")).principal())
                .isEqualTo("the TLS client certificate in /etc/me.p12");
    }

    @Test
    void secretsAreHiddenWhenShownOrLogged() {
        assertThat(sasl.toString()).doesNotContain("pw-1234", "store-pw").contains("sasl.jaas.config=(hidden)", "ssl.truststore.location=/etc/trust.p12");
        assertThat(sasl.describe()).containsEntry("ssl.truststore.password", "(hidden)").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(KafkaConnection.isSecret("ssl.key.password")).isTrue();
        assertThat(KafkaConnection.isSecret("ssl.keystore.key")).isTrue();
        assertThat(KafkaConnection.isSecret("sasl.oauthbearer.client.credentials.client.secret")).isTrue();
        assertThat(KafkaConnection.isSecret("ssl.keystore.location")).isFalse();
        assertThat(KafkaConnection.isSecret("ssl.keystore.type")).isFalse();
    }

    @Test
    void bootstrapServersAreTheConnectionsOwn() {
        assertThatThrownBy(() -> KafkaConnection.to("a:1").withProperties(Map.of("bootstrap.servers", "b:2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> KafkaConnection.to(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTopicPrefixGoesBeforeEveryTopicNameAndNothingElse() {
        KafkaConnection staging = sasl.withTopicPrefix("staging.");
        assertThat(staging.topic(dev.vigil.model.Topics.ARTICLES).name()).isEqualTo("staging.vigil.articles");
        assertThat(staging.topic(dev.vigil.model.Topics.ALERTS).spec()).isEqualTo(dev.vigil.model.Topics.ALERTS.spec());
        assertThat(staging.withProperties(Map.of("acks", "all")).topicPrefix()).isEqualTo("staging.");
        assertThat(staging.producer()).isEqualTo(sasl.producer());
        assertThat(staging.toString()).contains("topic prefix staging.");
        assertThat(sasl.topic(dev.vigil.model.Topics.ARTICLES)).isSameAs(dev.vigil.model.Topics.ARTICLES);
    }

    @Test
    void aTopicPrefixMustMakeLegalKafkaTopicNames() {
        KafkaConnection.checkTopicPrefix("team-a_1.");
        assertThatThrownBy(() -> sasl.withTopicPrefix("staging/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic-prefix: expected letters, digits, '.', '_' or '-' (e.g. staging.), found \"staging/\"");
        assertThatThrownBy(() -> KafkaConnection.checkTopicPrefix("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaConnection.checkTopicPrefix("x".repeat(240))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kafka topic names end at 249");
    }
}
