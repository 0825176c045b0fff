package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.ArticleId;
import dev.vigil.model.Level;
import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import dev.vigil.streams.rules.AlertingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScorerTest {

    static final TopicName TOPIC = new TopicName("venezuela");
    static final Instant T0 = Instant.parse("2025-11-24T00:00:00Z");
    static final AlertingPolicy POLICY = new AlertingPolicy(Duration.ofHours(24),
            Map.of(Level.ELEVATED, 6.0, Level.HIGH, 15.0, Level.CRITICAL, 30.0), 0.8);

    private final Scorer scorer = new Scorer(POLICY);
    private TopicState state;
    private final List<Alert> alerts = new ArrayList<>();

    private Scorer.Step hit(String id, double weight, Instant at) {
        TopicHit hit = new TopicHit(new ArticleId(id), "title " + id, "https://x.example/" + id, "Outlet", at, weight,
                List.of(new RuleId("strike")), List.of(), "v1");
        Scorer.Step step = scorer.onHit(state, TOPIC, hit);
        state = step.state();
        step.alert().ifPresent(alerts::add);
        return step;
    }

    @Test
    void levelsRiseImmediatelyOneAlertPerChange() {
        for (int i = 0; i < 8; i++) {
            hit("a" + i, 4, T0.plusSeconds(60L * i));
        }
        assertThat(state.level()).isEqualTo(Level.CRITICAL);
        assertThat(alerts).extracting(a -> a.data().level()).containsExactly(Level.ELEVATED, Level.HIGH, Level.CRITICAL);
        assertThat(alerts).extracting(a -> a.data().transition()).containsExactly(Alert.Transition.FIRING, Alert.Transition.ESCALATED, Alert.Transition.ESCALATED);
        assertThat(alerts).extracting(Alert::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("venezuela.20251124T"));
    }

    @Test
    void sameArticleTwiceCountsOnce() {
        hit("a", 4, T0);
        Scorer.Step step = hit("a", 4, T0.plusSeconds(10));
        assertThat(step.score().score()).isEqualTo(4.0);
        assertThat(step.score().stories()).isEqualTo(1);
    }

    @Test
    void hoveringAroundAThresholdDoesNotFlap() {
        // one story per day, each alone in its 24 h window: the score goes 7, 5, 7, 5, ...
        // around the elevated threshold of 6, never under its lower bound of 4.8
        for (int day = 0; day < 10; day++) {
            hit("d" + day, day % 2 == 0 ? 7 : 5, T0.plus(Duration.ofHours(25L * day)));
            assertThat(state.hits()).hasSize(1);
        }
        assertThat(state.level()).isEqualTo(Level.ELEVATED);
        assertThat(alerts).hasSize(1);
        // and under the lower bound it does leave
        hit("low", 4, T0.plus(Duration.ofHours(25L * 10)));
        assertThat(alerts).extracting(a -> a.data().transition()).containsExactly(Alert.Transition.FIRING, Alert.Transition.RESOLVED);
    }

    @Test
    void quietTopicResolvesWhenTheWindowPassesItsStories() {
        hit("a", 4, T0);
        hit("b", 4, T0.plusSeconds(60));
        assertThat(state.level()).isEqualTo(Level.ELEVATED);
        assertThat(scorer.onTime(state, T0.plus(Duration.ofHours(1)))).isEmpty();
        Optional<Scorer.Step> later = scorer.onTime(state, T0.plus(Duration.ofHours(25)));
        assertThat(later).isPresent();
        Alert resolved = later.get().alert().orElseThrow();
        assertThat(resolved.data().transition()).isEqualTo(Alert.Transition.RESOLVED);
        assertThat(resolved.data().level()).isEqualTo(Level.NORMAL);
        assertThat(resolved.data().episode()).isEqualTo(alerts.get(0).data().episode());
        assertThat(later.get().state().hits()).isEmpty();
        assertThat(later.get().state().episode()).isNull();
    }

    @Test
    void articleOlderThanTheWindowIsNotCounted() {
        hit("new", 4, T0.plus(Duration.ofHours(30)));
        Scorer.Step late = hit("old", 4, T0);
        assertThat(late.counted()).isFalse();
        assertThat(late.score().score()).isEqualTo(4.0);
    }

    @Test
    void alertCarriesStoriesStrongestFirstWithShares() {
        hit("weak", 2, T0);
        Scorer.Step step = hit("strong", 5, T0.plusSeconds(1));
        Alert alert = step.alert().orElseThrow();
        assertThat(alert.data().stories()).extracting(s -> s.id().value()).containsExactly("strong", "weak");
        assertThat(alert.data().stories().get(0).share()).isEqualTo(5.0 / 7.0);
        assertThat(alert.data().thresholds()).containsEntry(Level.ELEVATED, 6.0);
        assertThat(alert.data().score()).isEqualTo(7.0);
    }

    @Test
    void policyLeavesALevelOnlyBelowItsLowerBound() {
        assertThat(POLICY.next(Level.HIGH, 12.1)).isEqualTo(Level.HIGH);
        assertThat(POLICY.next(Level.HIGH, 11.9)).isEqualTo(Level.ELEVATED);
        assertThat(POLICY.next(Level.HIGH, 4.0)).isEqualTo(Level.NORMAL);
        assertThat(POLICY.next(Level.NORMAL, 5.9)).isEqualTo(Level.NORMAL);
        assertThat(POLICY.next(Level.NORMAL, 31)).isEqualTo(Level.CRITICAL);
    }
}
