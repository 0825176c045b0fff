package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void saysItsCleanupPolicyAndRetentionAsTopicConfigs() {
        assertThat(TopicSpec.partitions(3).retention(Duration.ofDays(30)).configs())
                .containsExactly(Map.entry("cleanup.policy", "delete"), Map.entry("retention.ms", "2592000000"));
        assertThat(TopicSpec.partitions(1).compact().configs()).containsExactly(Map.entry("cleanup.policy", "compact"));
        assertThat(TopicSpec.DEFAULT.replicationFactor()).isEmpty();
        assertThat(TopicSpec.DEFAULT.replicationFactor((short) 3).replicationFactor()).isEqualTo(Optional.of((short) 3));
    }

    @Test
    void refusesALayoutKafkaWouldRefuse() {
        assertThatThrownBy(() -> TopicSpec.partitions(0)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> TopicSpec.partitions(1).retention(Duration.ZERO)).hasMessageContaining("retention");
        assertThatThrownBy(() -> TopicSpec.partitions(1).replicationFactor((short) 0)).hasMessageContaining("replicationFactor");
    }

    @Test
    void everyTopicHasASpecAndTheCompactedOnesKeepStatePerKey() {
        assertThat(Topics.all()).allSatisfy(t -> assertThat(t.spec()).isNotNull());
        assertThat(Topics.all().stream().filter(t -> t.spec().compacted()).map(Topic::name))
                .containsExactlyInAnyOrder("vigil.ingest.state", "vigil.feeds", "vigil.silences", "vigil.rules");
        assertThat(Topics.INGEST_STATE.spec().partitions()).isEqualTo(Topics.INGEST_STATE_PARTITIONS);
    }
}
