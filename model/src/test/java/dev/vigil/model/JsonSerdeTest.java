package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    static final Instant T0 = Instant.parse("2025-11-24T08:00:00Z");

    static Article article() {
        return new Article(Article.SCHEMA_VERSION, new ArticleId("u-1"), new FeedId("herald"), "Caribbean Herald",
                "https://herald.example/a", "US designates cartel", "Body text.", Article.TextOrigin.EXTRACTED,
                T0, T0.plusSeconds(5), "en");
    }

    static Alert alert() {
        Evidence evidence = new Evidence(new RuleId("designation"), "designate*", Field.TITLE, 3, "US designates cartel");
        Alert.Data data = new Alert.Data(Alert.Data.SCHEMA_VERSION, new TopicName("venezuela"), "venezuela.20251124T080000Z", 1,
                Level.ELEVATED, Level.NORMAL, Alert.Transition.FIRING, 7.5,
                Map.of(Level.ELEVATED, 6.0, Level.HIGH, 15.0, Level.CRITICAL, 30.0),
                new TopicScore.Window(T0.minusSeconds(86400), T0), "v1",
                List.of(new Alert.Story(new ArticleId("u-1"), "US designates cartel", "https://herald.example/a", "Caribbean Herald",
                        T0, 3.0, 0.4, List.of(new RuleId("designation")), List.of(evidence))));
        return Alert.of(T0, data);
    }

    @Test
    void articleRoundTripsWithIsoInstants() {
        byte[] bytes = Topics.ARTICLES.valueSerde().serializer().serialize("t", article());
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"published\":\"2025-11-24T08:00:00Z\"").contains("\"id\":\"u-1\"").contains("\"textOrigin\":\"EXTRACTED\"");
        assertThat(Topics.ARTICLES.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(article());
    }

    @Test
    void alertIsACloudEventWithLowerCaseLevelsAndStableId() {
        Alert alert = alert();
        byte[] bytes = Topics.ALERTS.valueSerde().serializer().serialize("t", alert);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"specversion\":\"1.0\"", "\"type\":\"dev.vigil.alert.firing\"",
                "\"id\":\"venezuela.20251124T080000Z.1.elevated\"", "\"level\":\"elevated\"", "\"elevated\":6.0", "\"field\":\"title\"");
        assertThat(Topics.ALERTS.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(alert);
    }

    @Test
    void unknownFieldsFromANewerWriterAreTolerated() {
        String json = new String(Topics.ARTICLES.valueSerde().serializer().serialize("t", article()), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"addedLater\":[1,2],");
        assertThat(Topics.ARTICLES.valueSerde().deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8))).isEqualTo(article());
    }

    @Test
    void recordThatBreaksAnInvariantIsRejectedWithItsTypeNamed() {
        byte[] noId = "{\"schemaVersion\":1,\"feed\":\"herald\",\"fetched\":\"2025-11-24T08:00:00Z\",\"textOrigin\":\"EXTRACTED\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Topics.ARTICLES.valueSerde().deserializer().deserialize("t", noId))
                .isInstanceOf(SerializationException.class).hasMessageContaining("not a valid Article");
        assertThatThrownBy(() -> Topics.ARTICLES.valueSerde().deserializer().deserialize("t", "{nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void keysAreReadableStrings() {
        byte[] key = Topics.ALERTS.keySerde().serializer().serialize("t", new TopicName("venezuela"));
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("venezuela");
        assertThat(Topics.ALERTS.keySerde().deserializer().deserialize("t", key)).isEqualTo(new TopicName("venezuela"));
    }

    @Test
    void topicNamesAreUniqueAndPrefixed() {
        assertThat(Topics.all()).extracting(Topic::name).doesNotHaveDuplicates().allMatch(n -> n.startsWith("vigil."));
    }

    @Test
    void transitionsFollowLevelOrder() {
        assertThat(Alert.Transition.between(Level.NORMAL, Level.HIGH)).isEqualTo(Alert.Transition.FIRING);
        assertThat(Alert.Transition.between(Level.ELEVATED, Level.HIGH)).isEqualTo(Alert.Transition.ESCALATED);
        assertThat(Alert.Transition.between(Level.CRITICAL, Level.HIGH)).isEqualTo(Alert.Transition.DEESCALATED);
        assertThat(Alert.Transition.between(Level.HIGH, Level.NORMAL)).isEqualTo(Alert.Transition.RESOLVED);
        assertThatThrownBy(() -> Alert.Transition.between(Level.HIGH, Level.HIGH)).isInstanceOf(IllegalArgumentException.class);
    }
}
