package dev.vigil.alerts;

import dev.vigil.model.Alert;
import dev.vigil.model.ArticleId;
import dev.vigil.model.Evidence;
import dev.vigil.model.Field;
import dev.vigil.model.Level;
import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Alerts for tests. */
public final class TestAlerts {

    public static final Instant T0 = Instant.parse("2025-11-16T12:00:00Z");

    private TestAlerts() {
    }

    /** An elevated venezuela alert whose one story has this title. */
    public static Alert alert(String title) {
        return alert("venezuela", "venezuela.20251116T120000Z", 1, Level.ELEVATED, Level.NORMAL, title, "https://herald.example/a/1");
    }

    public static Alert alert(String topic, String episode, int change, Level level, Level previous, String title, String url) {
        Evidence e = new Evidence(new RuleId("strike"), "strike*", Field.TITLE, 10, "US military strikes another boat");
        Alert.Story story = new Alert.Story(new ArticleId("u-1"), title, url, "Caribbean Herald",
                T0, 4, 0.5, List.of(new RuleId("strike")), List.of(e));
        return Alert.of(T0, new Alert.Data(1, new TopicName(topic), episode, change, level, previous,
                Alert.Transition.between(previous, level), 8, Map.of(Level.ELEVATED, 6.0, Level.HIGH, 15.0, Level.CRITICAL, 30.0),
                new TopicScore.Window(T0.minusSeconds(86400), T0), "sha256:abc", List.of(story)));
    }
}
