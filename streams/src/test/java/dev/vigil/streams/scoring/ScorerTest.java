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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScorerTest {

    static final TopicName TOPIC = new TopicName("venezuela");
    static final Instant T0 = Instant.parse("2025-11-24T00:00:00Z");
    static final AlertingPolicy POLICY = new AlertingPolicy(Duration.ofHours(24),
            Map.of(Level.ELEVATED, 6.0, Level.HIGH, 15.0, Level.CRITICAL, 30.0), 0.8);

    private final Scorer scorer = new Scorer(POLICY, ScoringParameters.DEFAULT);
    private TopicState state;
    private final List<Alert> alerts = new ArrayList<>();

    private Scorer.Step last;

    /** A story in words of its own: no shingle in common with any other id's. */
    static String distinct(String id) {
        java.util.Random random = new java.util.Random(id.hashCode());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            out.append("w").append(random.nextInt(1_000_000)).append(' ');
        }
        return out.toString();
    }

    private Scorer.Step hit(String id, double weight, Instant at) {
        return hit(id, "Outlet " + id, weight, at, StorySignature.of("title " + id, distinct(id)));
    }

    private Scorer.Step hit(String id, String outlet, double weight, Instant at, String signature) {
        TopicHit hit = new TopicHit(new ArticleId(id), "title " + id, "https://x.example/" + id, outlet, at, weight,
                List.of(new RuleId("strike")), List.of(), "v1", signature);
        Scorer.Step step = scorer.onHit(state, TOPIC, hit, false);
        state = step.state();
        last = step;
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
        assertThat(step.outcome()).isEqualTo(Scorer.Outcome.UPDATE);
    }

    @Test
    void hoveringAroundAThresholdDoesNotFlap() {
        // one story per day, each alone in its 24 h window: the score goes 7, 5, 7, 5, ...
        // around the elevated threshold of 6, never under its lower bound of 4.8
        for (int day = 0; day < 10; day++) {
            hit("d" + day, day % 2 == 0 ? 7 : 5, T0.plus(Duration.ofHours(25L * day)));
            assertThat(state.stories()).hasSize(1);
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
        assertThat(later.get().state().stories()).isEmpty();
        assertThat(later.get().state().episode()).isNull();
    }

    @Test
    void articleOlderThanTheWindowIsNotCounted() {
        hit("new", 4, T0.plus(Duration.ofHours(30)));
        Scorer.Step late = hit("old", 4, T0);
        assertThat(late.outcome()).isEqualTo(Scorer.Outcome.LATE);
        assertThat(late.score().score()).isEqualTo(4.0);
    }

    @Test
    void alertCarriesStoriesStrongestFirstWithShares() {
        hit("weak", 2, T0);
        Scorer.Step step = hit("strong", 5, T0.plusSeconds(1));
        Alert alert = step.alert().orElseThrow();
        assertThat(alert.data().stories()).extracting(s -> s.id().value()).containsExactly("strong", "weak");
        assertThat(alert.data().stories().get(0).share()).isEqualTo(5.0 / 7.0);
        assertThat(alert.data().stories().get(0).contribution()).isEqualTo(5.0);
        assertThat(alert.data().storyCount()).isEqualTo(2);
        assertThat(alert.data().sourceCount()).isEqualTo(2);
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

    static final String WIRE_BODY = "Four people were killed when the US military struck a vessel in the Caribbean on Wednesday, "
            + "Southern Command said in a statement, the second such strike near Venezuela this week and the 22nd since September. "
            + "Officials said the boat was carrying narcotics. Venezuela condemned the attack as an extrajudicial execution "
            + "and said it would raise the matter at the United Nations.";

    @Test
    void syndicatedCopiesCountOnceAndFiveIndependentStoriesCountMore() {
        // 40 outlets run the same wire story, each with its own first line
        for (int i = 0; i < 40; i++) {
            String sig = StorySignature.of("US strikes vessel off Venezuela", "Outlet " + i + " reports. " + WIRE_BODY);
            hit("wire-" + i, "Outlet " + i, 4, T0.plusSeconds(i), sig);
        }
        double syndicated = state.stories().stream().mapToDouble(Story::weight).sum();
        assertThat(state.stories()).singleElement().satisfies(s -> {
            assertThat(s.copies()).hasSize(40);
            assertThat(s.outlets()).hasSize(40);
        });
        double syndicatedScore = last.score().score();

        state = null;
        for (int i = 0; i < 5; i++) {
            hit("own-" + i, 4, T0.plusSeconds(i));
        }
        double independentScore = last.score().score();

        assertThat(syndicated).isEqualTo(4.0);
        // one story, 40 outlets: 4 × (1 + 0.5 ln 40) ≈ 11.4; five stories from five outlets: 20
        assertThat(syndicatedScore).isCloseTo(4 * (1 + 0.5 * Math.log(40)), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(independentScore).isEqualTo(20.0);
        assertThat(independentScore).isGreaterThan(syndicatedScore);
    }

    @Test
    void repeatsFromOneOutletCountLessThanIndependentSources() {
        IntStream.range(0, 5).forEach(i -> hit("same-" + i, "Same Outlet", 4, T0.plusSeconds(i), StorySignature.of("story " + i, distinct("same-" + i))));
        assertThat(state.stories()).hasSize(5);
        double oneOutlet = last.score().score();
        // 4 × (1 + 0.6 + 0.36 + 0.216 + 0.1296)
        assertThat(oneOutlet).isCloseTo(4 * (1 + 0.6 + 0.36 + 0.216 + 0.1296), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(oneOutlet).isLessThan(20.0);
    }

    @Test
    void editedStoryUpdatesEvidenceWithoutCountingAgain() {
        hit("a", "Herald", 3, T0, StorySignature.of("Draft headline", WIRE_BODY));
        TopicHit edited = new TopicHit(new ArticleId("a"), "Corrected headline", "https://x.example/a", "Herald", T0.plus(Duration.ofHours(2)), 5,
                List.of(new RuleId("strike"), new RuleId("carrier")), List.of(), "v1", StorySignature.of("Corrected headline", WIRE_BODY));
        Scorer.Step step = scorer.onHit(state, TOPIC, edited, true);
        assertThat(step.outcome()).isEqualTo(Scorer.Outcome.UPDATE);
        assertThat(step.state().stories()).singleElement().satisfies(s -> {
            assertThat(s.title()).isEqualTo("Corrected headline");
            assertThat(s.eventTime()).isEqualTo(T0);
            assertThat(s.weight()).isEqualTo(5.0);
            assertThat(s.copies()).hasSize(1);
        });
    }

    @Test
    void articleSeenBeforeWhoseStoryLeftTheWindowIsADuplicate() {
        TopicHit again = new TopicHit(new ArticleId("old"), "t", "u", "Herald", T0.plus(Duration.ofDays(2)), 4,
                List.of(new RuleId("strike")), List.of(), "v1", "");
        Scorer.Step step = scorer.onHit(null, TOPIC, again, true);
        assertThat(step.outcome()).isEqualTo(Scorer.Outcome.DUPLICATE);
        assertThat(step.score().score()).isZero();
    }

    @Test
    void minimumDurationHoldsALevelBackUntilItHasLasted() {
        Scorer patient = new Scorer(new AlertingPolicy(POLICY.window(), POLICY.thresholds(), POLICY.hysteresis(), Duration.ofHours(1)), ScoringParameters.DEFAULT);
        TopicState s = patient.onHit(null, TOPIC, new TopicHit(new ArticleId("a"), "t", "u", "A", T0, 7, List.of(new RuleId("strike")), List.of(), "v1", "x"), false).state();
        assertThat(s.level()).isEqualTo(Level.NORMAL);
        assertThat(s.pending()).isEqualTo(new TopicState.Pending(Level.ELEVATED, T0));
        assertThat(patient.onTime(s, T0.plus(Duration.ofMinutes(30))).map(Scorer.Step::alert).flatMap(a -> a)).isEmpty();
        Scorer.Step fired = patient.onTime(s, T0.plus(Duration.ofMinutes(61))).orElseThrow();
        assertThat(fired.alert()).isPresent();
        assertThat(fired.state().level()).isEqualTo(Level.ELEVATED);
        assertThat(fired.state().pending()).isNull();
    }

    @Test
    void minimumDurationDropsAPeakThatDoesNotLast() {
        Scorer patient = new Scorer(new AlertingPolicy(POLICY.window(), POLICY.thresholds(), POLICY.hysteresis(), Duration.ofHours(1)), ScoringParameters.DEFAULT);
        TopicState s = patient.onHit(null, TOPIC, new TopicHit(new ArticleId("a"), "t", "u", "A", T0, 7, List.of(new RuleId("strike")), List.of(), "v1", "x"), false).state();
        // the story leaves the window before the hour is up from the pending level's view: a day later it is gone
        Scorer.Step later = patient.onTime(s, T0.plus(Duration.ofHours(25))).orElseThrow();
        assertThat(later.alert()).isEmpty();
        assertThat(later.state().pending()).isNull();
        assertThat(later.state().level()).isEqualTo(Level.NORMAL);
    }
}
