package dev.vigil.streams;

import dev.vigil.model.Alert;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.Level;
import dev.vigil.model.SignalHit;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.TopicMatch;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.streams.rules.ActiveRules;
import dev.vigil.streams.scoring.Scorer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The streams service's domain meters. Tags are bounded: rule ids and topic names come from the
 * operator's rules file, never from article content.
 */
public final class StreamsMetrics {

    public static final String ARTICLES_TAGGED = "vigil.articles.tagged";
    public static final String EVENT_TIME = "vigil.articles.event.time";
    public static final String RULE_HITS = "vigil.rule.hits";
    public static final String TOPIC_HITS = "vigil.topic.hits";
    public static final String SCORE = "vigil.topic.score";
    public static final String LEVEL = "vigil.topic.level";
    public static final String ALERTS = "vigil.alerts.raised";
    public static final String RULES_VERSION = "vigil.rules.version";
    public static final String RULES_RELOADS = "vigil.rules.reloads";
    public static final String RULES_RELOAD_OK = "vigil.rules.reload.ok";
    public static final String RULES_COMPILE = "vigil.rules.compile.time";
    public static final String RULES_COUNT = "vigil.rules.count";
    public static final String THRESHOLD = "vigil.topic.threshold";
    public static final String RUNNING = "vigil.streams.running";
    public static final String PUBLISHED_TO_TAGGED = "vigil.latency.published.tagged";
    public static final String TAGGED_TO_ALERT = "vigil.latency.tagged.alert";
    public static final String DEAD_LETTERS = "vigil.streams.dead.letters";
    public static final String TRUNCATED = "vigil.articles.truncated";
    public static final String STORIES_DROPPED = "vigil.topic.stories.dropped";

    private final MeterRegistry registry;
    private final Map<TopicName, AtomicReference<TopicScore>> scores = new ConcurrentHashMap<>();
    private final AtomicInteger lastReloadOk = new AtomicInteger(1);
    // Each meter is built and registered once, on first use (as before, a series appears with its first event), and
    // then found here by its tags: a builder and a registry lookup per article and per rule hit cost more than the count.
    private final Map<String, Counter> taggedByOutcome = new ConcurrentHashMap<>();
    private final Map<Tagger.EventTimeSource, Counter> eventTimeBySource = new ConcurrentHashMap<>();
    private final Map<String, Counter> ruleHits = new ConcurrentHashMap<>();
    private final Map<TopicOutcome, Counter> topicHits = new ConcurrentHashMap<>();
    private final Map<LevelTransition, Counter> alertsRaised = new ConcurrentHashMap<>();
    private final Map<TopicName, Counter> storiesDropped = new ConcurrentHashMap<>();
    private final Map<DeadLetter.Reason, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter> reloads = new ConcurrentHashMap<>();
    /** The meters without tags, by name. */
    private final Map<String, Meter> untagged = new ConcurrentHashMap<>();

    private record TopicOutcome(TopicName topic, Scorer.Outcome outcome) {
    }

    private record LevelTransition(Level level, Alert.Transition transition) {
    }

    public StreamsMetrics(MeterRegistry registry) {
        this.registry = registry;
        // every reason from the start, at 0, so a rate or an alerting rule has a series before the first dead letter
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            deadLetters(reason);
        }
    }

    /** One article tagged at {@code now} (the topology's clock). */
    void tagged(Tagger.Tagged tagged, Instant now) {
        TaggedArticle article = tagged.article();
        if (tagged.cut()) {
            truncated();
        }
        String outcome = article.matches().stream().anyMatch(TopicMatch::escalates) ? "escalating"
                : article.matches().isEmpty() ? "unmatched" : "topic-only";
        taggedByOutcome.computeIfAbsent(outcome, o -> Counter.builder(ARTICLES_TAGGED).description("Articles tagged by the rules, by outcome")
                .tag("outcome", o).register(registry)).increment();
        eventTimeBySource.computeIfAbsent(tagged.eventTimeSource(), source -> Counter.builder(EVENT_TIME)
                .description("Where each article's event time came from (published, or fetch time when missing, implausible or in the future)")
                .tag("source", source.name().toLowerCase(java.util.Locale.ROOT)).register(registry)).increment();
        if (tagged.eventTimeSource() == Tagger.EventTimeSource.PUBLISHED) {
            // how fresh the news is when Vigil has read it: publication to tagging
            Duration age = Duration.between(article.article().published(), now);
            if (!age.isNegative()) {
                timer(PUBLISHED_TO_TAGGED, name -> Timer.builder(name).description("Time from an article's publication to its tagging (feed delay, polling interval, ingest)")
                        .publishPercentileHistogram().maximumExpectedValue(Duration.ofDays(2)).register(registry)).record(age);
            }
        }
        for (TopicMatch match : article.matches()) {
            ruleHit(match.topic().value());
            for (SignalHit signal : match.signals()) {
                ruleHit(signal.signal().value());
            }
        }
    }

    private void ruleHit(String rule) {
        ruleHits.computeIfAbsent(rule, r -> Counter.builder(RULE_HITS).description("Articles matched, per rule").tag("rule", r).register(registry)).increment();
    }

    /** What became of one article's hit on a topic: new story, copy, update, duplicate or late. */
    public void hit(TopicName topic, Scorer.Outcome outcome) {
        topicHits.computeIfAbsent(new TopicOutcome(topic, outcome), key -> Counter.builder(TOPIC_HITS)
                .description("Escalating articles per topic, by what became of them (new_story, copy, update, duplicate, late)")
                .tag("topic", key.topic().value()).tag("outcome", key.outcome().name().toLowerCase(java.util.Locale.ROOT)).register(registry)).increment();
    }

    public void score(TopicScore score) {
        scores.computeIfAbsent(score.topic(), topic -> {
            AtomicReference<TopicScore> ref = new AtomicReference<>(score);
            Gauge.builder(SCORE, ref, r -> r.get().score()).description("Escalation score of a watched topic over its window")
                    .tag("topic", topic.value()).register(registry);
            Gauge.builder(LEVEL, ref, r -> r.get().level().ordinal()).description("Escalation level of a watched topic: 0 normal, 1 elevated, 2 high, 3 critical")
                    .tag("topic", topic.value()).register(registry);
            return ref;
        }).set(score);
    }

    public void levelChanged(Alert alert) {
        alertsRaised.computeIfAbsent(new LevelTransition(alert.data().level(), alert.data().transition()), key -> Counter.builder(ALERTS)
                .description("Alert events raised, by level and transition")
                .tag("level", key.level().wireName()).tag("transition", key.transition().wireName()).register(registry)).increment();
    }

    /** Stories a topic's state dropped to stay under the record limit. */
    public void storiesDropped(TopicName topic, int stories) {
        storiesDropped.computeIfAbsent(topic, t -> Counter.builder(STORIES_DROPPED)
                .description("Stories a topic's scoring state dropped, weakest first, to stay under the record limit (docs/scoring.md)")
                .tag("topic", t.value()).register(registry)).increment(stories);
    }

    /** Time from an article's tagging to the alert it caused (repartition, scoring, one commit each). */
    public void taggedToAlert(Duration d) {
        timer(TAGGED_TO_ALERT, name -> Timer.builder(name).description("Time from tagging the article that changed a topic's level to deciding the alert")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10)).register(registry)).record(d);
    }

    /** A record dead-lettered to vigil.articles.dlq, by reason. */
    public void deadLettered(DeadLetter.Reason reason) {
        deadLetters(reason).increment();
    }

    private Counter deadLetters(DeadLetter.Reason reason) {
        return deadLetters.computeIfAbsent(reason, r -> Counter.builder(DEAD_LETTERS)
                .description("Records Streams could not read, process or write and dead-lettered to vigil.articles.dlq, by reason")
                .tag("reason", r.wireName()).register(registry));
    }

    /** An article read with a field over the caps, cut to them ({@code Article.capped()}) before tagging. */
    void truncated() {
        ((Counter) untagged.computeIfAbsent(TRUNCATED, name -> Counter.builder(name)
                .description("Articles with a title, source, text or link Streams cut to the caps (Article.MAX_TITLE_CHARS, MAX_TEXT_CHARS, MAX_URL_CHARS) before tagging")
                .register(registry))).increment();
    }

    /** 1 while the Kafka Streams client is running (or rebalancing), 0 otherwise. */
    void watchStreams(BooleanSupplier running) {
        Gauge.builder(RUNNING, running, r -> r.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while the Kafka Streams topology runs (or rebalances), 0 when it is not running").register(registry);
    }

    /** Gauges of the rules in force: their release number, how many topics and signals, whether the last reload succeeded. */
    void watchRules(ActiveRules active) {
        for (Level level : Level.values()) {
            if (level != Level.NORMAL) {
                Gauge.builder(THRESHOLD, active, a -> a.matcher().rules().alerting().threshold(level)).strongReference(true)
                        .description("Score at which a topic enters a level, per the rules in force").tag("level", level.wireName()).register(registry);
            }
        }
        Gauge.builder(RULES_VERSION, active, ActiveRules::release).strongReference(true)
                .description("Release number of the rule set in force (vigil rules apply); 0 while the start-up rules file is").register(registry);
        Gauge.builder(RULES_COUNT, active, a -> a.matcher().rules().topics().size()).strongReference(true)
                .description("Rules in force, by kind").tag("kind", "topic").register(registry);
        Gauge.builder(RULES_COUNT, active, a -> a.matcher().rules().signals().size()).strongReference(true)
                .description("Rules in force, by kind").tag("kind", "signal").register(registry);
        Gauge.builder(RULES_RELOAD_OK, lastReloadOk, AtomicInteger::get)
                .description("1 when the last rule set release read from vigil.rules was applied (or none came), 0 when it was rejected").register(registry);
    }

    /** A release from vigil.rules: {@code applied}, {@code unchanged} (already in force) or {@code rejected}. */
    void rulesReload(String result, Duration compileTime) {
        reloads.computeIfAbsent(result, r -> Counter.builder(RULES_RELOADS).description("Rule set releases read from vigil.rules, by result (applied, unchanged, rejected)")
                .tag("result", r).register(registry)).increment();
        if (!result.equals("unchanged")) {
            lastReloadOk.set(result.equals("applied") ? 1 : 0);
        }
        if (compileTime != null) {
            timer(RULES_COMPILE, name -> Timer.builder(name).description("Time to compile a rule set release into the matcher's index").register(registry)).record(compileTime);
        }
    }

    private Timer timer(String name, Function<String, Timer> build) {
        return (Timer) untagged.computeIfAbsent(name, build);
    }
}
