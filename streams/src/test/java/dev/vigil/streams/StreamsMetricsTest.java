package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.FeedId;
import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import dev.vigil.streams.rules.Matcher;
import dev.vigil.streams.rules.RulesLoader;
import dev.vigil.streams.scoring.Scorer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The domain meters count what they counted, on meters built once. */
class StreamsMetricsTest {

    private static final Instant PUBLISHED = VigilTopologyTest.T0;
    private static final TopicName VENEZUELA = new TopicName("venezuela");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StreamsMetrics metrics = new StreamsMetrics(registry);
    private final Tagger tagger = new Tagger(new Matcher(RulesLoader.loadDefault()));

    private Tagger.Tagged boatStrike() {
        String[] story = VigilTopologyTest.ESCALATION.get(1);
        return tagger.tag(new Article(Article.SCHEMA_VERSION, new ArticleId("strike-1"), new FeedId("outlet"), "Outlet", "https://news.example/strike/1",
                story[0], story[1], Article.TextOrigin.EXTRACTED, PUBLISHED, PUBLISHED.plusSeconds(30), "en"));
    }

    @Test
    void everyTaggedArticleAndRuleHitCountsOnMetersBuiltOnItsFirstEvent() {
        assertThat(registry.find(StreamsMetrics.ARTICLES_TAGGED).counters()).isEmpty();
        Tagger.Tagged strike = boatStrike();
        Set<RuleId> rules = new LinkedHashSet<>();
        strike.article().matches().forEach(m -> {
            rules.add(new RuleId(m.topic().value()));
            m.signals().forEach(s -> rules.add(s.signal()));
        });
        assertThat(rules).contains(new RuleId("venezuela")).hasSizeGreaterThan(1);

        metrics.tagged(strike, PUBLISHED.plusSeconds(90));
        int meters = registry.getMeters().size();
        Counter escalating = registry.get(StreamsMetrics.ARTICLES_TAGGED).tag("outcome", "escalating").counter();
        metrics.tagged(strike, PUBLISHED.plusSeconds(90));
        metrics.tagged(strike, PUBLISHED.plusSeconds(90));

        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(registry.get(StreamsMetrics.ARTICLES_TAGGED).tag("outcome", "escalating").counter()).isSameAs(escalating);
        assertThat(escalating.count()).isEqualTo(3.0);
        for (RuleId rule : rules) {
            assertThat(registry.get(StreamsMetrics.RULE_HITS).tag("rule", rule.value()).counter().count()).as(rule.value()).isEqualTo(3.0);
        }
        assertThat(registry.find(StreamsMetrics.RULE_HITS).counters()).hasSize(rules.size());
        assertThat(registry.get(StreamsMetrics.EVENT_TIME).tag("source", "published").counter().count()).isEqualTo(3.0);
        var age = registry.get(StreamsMetrics.PUBLISHED_TO_TAGGED).timer();
        assertThat(age.count()).isEqualTo(3);
        assertThat(age.totalTime(TimeUnit.SECONDS)).isEqualTo(270.0);
    }

    @Test
    void scoringAndReloadMetersCountPerTag() {
        metrics.hit(VENEZUELA, Scorer.Outcome.NEW_STORY);
        metrics.hit(VENEZUELA, Scorer.Outcome.NEW_STORY);
        metrics.hit(VENEZUELA, Scorer.Outcome.COPY);
        metrics.storiesDropped(VENEZUELA, 4);
        metrics.storiesDropped(VENEZUELA, 3);
        metrics.taggedToAlert(Duration.ofMillis(120));
        metrics.taggedToAlert(Duration.ofMillis(80));
        metrics.rulesReload("applied", Duration.ofMillis(5));
        metrics.rulesReload("unchanged", null);
        metrics.rulesReload("applied", Duration.ofMillis(7));
        metrics.deadLettered(DeadLetter.Reason.TOO_LARGE);
        int meters = registry.getMeters().size();
        metrics.hit(VENEZUELA, Scorer.Outcome.NEW_STORY);
        metrics.deadLettered(DeadLetter.Reason.TOO_LARGE);

        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(registry.get(StreamsMetrics.TOPIC_HITS).tags("topic", "venezuela", "outcome", "new_story").counter().count()).isEqualTo(3.0);
        assertThat(registry.get(StreamsMetrics.TOPIC_HITS).tags("topic", "venezuela", "outcome", "copy").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(StreamsMetrics.STORIES_DROPPED).tag("topic", "venezuela").counter().count()).isEqualTo(7.0);
        assertThat(registry.get(StreamsMetrics.TAGGED_TO_ALERT).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200.0);
        assertThat(registry.get(StreamsMetrics.RULES_RELOADS).tag("result", "applied").counter().count()).isEqualTo(2.0);
        assertThat(registry.get(StreamsMetrics.RULES_RELOADS).tag("result", "unchanged").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(StreamsMetrics.RULES_COMPILE).timer().count()).isEqualTo(2);
        // every reason has its series from the start
        assertThat(registry.find(StreamsMetrics.DEAD_LETTERS).counters()).hasSize(DeadLetter.Reason.values().length);
        assertThat(registry.get(StreamsMetrics.DEAD_LETTERS).tag("reason", "too_large").counter().count()).isEqualTo(2.0);
    }

    @Test
    void aMeterIsNotBuiltAgainOnceItExists() {
        metrics.hit(VENEZUELA, Scorer.Outcome.NEW_STORY);
        metrics.tagged(boatStrike(), PUBLISHED.plusSeconds(90));
        Counter hits = registry.get(StreamsMetrics.TOPIC_HITS).counter();
        Counter ruleHit = registry.get(StreamsMetrics.RULE_HITS).tag("rule", "venezuela").counter();
        // taken out of the registry, a meter would come back only if a builder registered it again
        registry.remove(hits);
        registry.remove(ruleHit);

        metrics.hit(VENEZUELA, Scorer.Outcome.NEW_STORY);
        metrics.tagged(boatStrike(), PUBLISHED.plusSeconds(90));

        assertThat(registry.find(StreamsMetrics.TOPIC_HITS).counters()).isEmpty();
        assertThat(registry.find(StreamsMetrics.RULE_HITS).tag("rule", "venezuela").counters()).isEmpty();
        assertThat(hits.count()).isEqualTo(2.0);
        assertThat(ruleHit.count()).isEqualTo(2.0);
    }
}
