package dev.vigil.streams;

import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.JsonSerde;
import dev.vigil.model.RulesRelease;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topic;
import dev.vigil.model.TopicMatch;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.model.Topics;
import dev.vigil.streams.rules.ActiveRules;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.scoring.Decision;
import dev.vigil.streams.scoring.EscalationProcessor;
import dev.vigil.streams.scoring.Scorer;
import dev.vigil.streams.scoring.ScoringParameters;
import dev.vigil.streams.scoring.StorySignature;
import dev.vigil.streams.scoring.TopicHit;
import dev.vigil.streams.scoring.TopicState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds Vigil's Kafka Streams topology. Every stateful or repartitioning step is named, so adding
 * a step never renames a changelog or repartition topic and loses state.
 *
 * <pre>
 * vigil.rules ─► (global store rules) ─► the rule set in force, swapped as a whole
 *                                               │
 * vigil.articles ─► tag ◄───────────────────────┘   (what cannot be read or processed ─► vigil.articles.dlq)
 *                    ├─► over the record limit ─► vigil.articles.dlq
 *                    ├─► vigil.articles.tagged
 *                    └─► hits by topic ─► [repartition topic-hits] ─► score (stores topic-state, seen-articles)
 *                                                                      ├─► vigil.scores
 *                                                                      └─► vigil.alerts
 * </pre>
 */
public final class VigilTopology {

    /** Names that become part of internal topic names; never change them. */
    public static final String TOPIC_HITS = "topic-hits";
    public static final String TOPIC_STATE_STORE = "topic-state";
    public static final String SEEN_ARTICLES_STORE = "seen-articles";
    /** The global store of the latest valid rule set release, fed from vigil.rules (no changelog of its own). */
    public static final String RULES_STORE = "rules";

    static final Serde<TopicHit> HIT_SERDE = new JsonSerde<>(TopicHit.class);

    private final RuleSet rules;
    private final ScoringParameters scoring;
    private final ActiveRules activeRules;
    private final StreamsMetrics metrics;
    private final Duration expiryInterval;
    private final Refusals refusals = new Refusals();
    private final String topicPrefix;
    private final Clock clock;
    private final Topic<ArticleId, Article> articlesTopic;
    private final Topic<ArticleId, TaggedArticle> articlesTaggedTopic;
    private final Topic<byte[], byte[]> articlesDlqTopic;
    private final Topic<TopicName, TopicScore> scoresTopic;
    private final Topic<TopicName, Alert> alertsTopic;
    private final Topic<String, RulesRelease> rulesTopic;

    /**
     * @param rules          the rule set to tag with until a release arrives on vigil.rules
     * @param scoring        the constants of the score formula
     * @param metrics        where the domain meters go
     * @param expiryInterval how often (wall clock) windows slide forward without news
     * @param topicPrefix    the deployment's topic prefix: what the topology reads and writes is {@code topicPrefix + name}
     * @param clock          the wall clock of the steps: when an article was tagged, an alert decided, a record dead-lettered
     */
    public VigilTopology(RuleSet rules, ScoringParameters scoring, StreamsMetrics metrics, Duration expiryInterval, String topicPrefix, Clock clock) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.scoring = Objects.requireNonNull(scoring, "scoring");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.expiryInterval = Objects.requireNonNull(expiryInterval, "expiryInterval");
        this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.articlesTopic = Topics.ARTICLES.prefixed(topicPrefix);
        this.articlesTaggedTopic = Topics.ARTICLES_TAGGED.prefixed(topicPrefix);
        this.articlesDlqTopic = Topics.ARTICLES_DLQ.prefixed(topicPrefix);
        this.scoresTopic = Topics.SCORES.prefixed(topicPrefix);
        this.alertsTopic = Topics.ALERTS.prefixed(topicPrefix);
        this.rulesTopic = Topics.RULES.prefixed(topicPrefix);
        this.activeRules = new ActiveRules(rules);
        metrics.watchRules(activeRules);
    }

    /** {@link #VigilTopology(RuleSet, ScoringParameters, StreamsMetrics, Duration, String, Clock)} on the system clock. */
    public VigilTopology(RuleSet rules, ScoringParameters scoring, StreamsMetrics metrics, Duration expiryInterval, String topicPrefix) {
        this(rules, scoring, metrics, expiryInterval, topicPrefix, Clock.systemUTC());
    }

    /** Without a topic prefix, on the system clock (the backtest, tests). */
    public VigilTopology(RuleSet rules, ScoringParameters scoring, StreamsMetrics metrics, Duration expiryInterval) {
        this(rules, scoring, metrics, expiryInterval, "");
    }

    /** Source records whose output Kafka refused: read again, they are dead-lettered. */
    Refusals refusals() {
        return refusals;
    }

    /** The rule set the tagging step uses now. */
    public ActiveRules activeRules() {
        return activeRules;
    }

    /**
     * Builds the topology with the Kafka Streams configuration it will run with. The builder, not
     * {@code KafkaStreams}, reads the topology-level settings, among them
     * {@code ensure.explicit.internal.resource.naming} ({@link StreamsService#properties}): with it, a
     * step whose store or internal topic would get a generated name fails here, with a
     * {@link org.apache.kafka.streams.errors.TopologyException} naming it.
     */
    public Topology build(Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsConfig)));
        addTo(builder);
        return builder.build();
    }

    /** Adds Vigil's steps to a builder that may hold others (tests use this to prove names are stable). */
    public void addTo(StreamsBuilder builder) {
        readRules(builder);
        KStream<ArticleId, TaggedArticle> tagged = writeTagged(tag(readArticles(builder)));
        KStream<TopicName, Decision> decisions = score(builder, hitsByTopic(tagged));
        writeDecisions(decisions);
    }

    /**
     * Writes each tagged article that fits in {@link dev.vigil.model.Topic#MAX_RECORD_BYTES} to
     * vigil.articles.tagged (serialised once, here) and dead-letters the others; returns those that
     * fit, for scoring. The producer must never see a record over the limit: under exactly-once a
     * refused send aborts the transaction, and the task would fail at that offset after every restart.
     */
    private KStream<ArticleId, TaggedArticle> writeTagged(KStream<ArticleId, TaggedArticle> tagged) {
        Map<String, KStream<ArticleId, Sized>> bySize = tagged.processValues(() -> new Sized.Check(refusals), Named.as("size-tagged"))
                .split(Named.as("size-"))
                .branch((id, sized) -> sized.fits(), Branched.as("fits"))
                .defaultBranch(Branched.as("too-large"));
        DeadLetters deadLetters = new DeadLetters(metrics, topicPrefix, clock);
        bySize.get("size-too-large")
                .process(() -> new Sized.Letter(deadLetters), Named.as("dead-letter-too-large"))
                .to(articlesDlqTopic.name(), articlesDlqTopic.produced().withName("write-dead-letters"));
        KStream<ArticleId, Sized> fits = bySize.get("size-fits");
        fits.mapValues(Sized::json, Named.as("tagged-json"))
                .to(articlesTaggedTopic.name(), Produced.with(Topics.ARTICLES_TAGGED.keySerde(), Serdes.ByteArray()).withName("write-tagged"));
        return fits.mapValues(Sized::article, Named.as("tagged-fits"));
    }

    private KStream<ArticleId, Article> readArticles(StreamsBuilder builder) {
        return builder.stream(articlesTopic.name(), articlesTopic.consumed().withName("read-articles"))
                .filter((id, article) -> article != null, Named.as("drop-tombstones"));
    }

    /**
     * Releases from vigil.rules into a global store: every instance reads all of them, and the
     * store's processor validates each one and switches {@link #activeRules} to it.
     */
    private void readRules(StreamsBuilder builder) {
        StoreBuilder<KeyValueStore<String, byte[]>> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(RULES_STORE), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled();
        builder.addGlobalStore(store, rulesTopic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-rules"),
                () -> new RulesProcessor(RULES_STORE, activeRules, rules.alerting(), metrics));
    }

    private KStream<ArticleId, TaggedArticle> tag(KStream<ArticleId, Article> articles) {
        Tagger tagger = new Tagger(activeRules::matcher);
        return articles.mapValues(article -> {
            Tagger.Tagged tagged = tagger.tag(article);
            metrics.tagged(tagged, clock.instant());
            return tagged.article();
        }, Named.as("tag-articles"));
    }

    /** One record per escalating topic match, re-keyed by topic so a topic's stories meet on one partition. */
    private KStream<TopicName, TopicHit> hitsByTopic(KStream<ArticleId, TaggedArticle> tagged) {
        return tagged
                .flatMap((id, article) -> {
                    List<TopicMatch> escalating = article.matches().stream().filter(TopicMatch::escalates).toList();
                    if (escalating.isEmpty()) {
                        return List.of();
                    }
                    String signature = StorySignature.of(article.article().title(), article.article().text());
                    Instant taggedAt = clock.instant();
                    return escalating.stream().map(match -> KeyValue.pair(match.topic(), TopicHit.of(article, match, signature, taggedAt))).toList();
                }, Named.as("split-by-topic"))
                .repartition(Repartitioned.with(Topics.SCORES.keySerde(), HIT_SERDE).withName(TOPIC_HITS));
    }

    private KStream<TopicName, Decision> score(StreamsBuilder builder, KStream<TopicName, TopicHit> hits) {
        StoreBuilder<KeyValueStore<TopicName, TopicState>> states = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TOPIC_STATE_STORE), Topics.SCORES.keySerde(), TopicState.SERDE).withCachingEnabled();
        // article ids per topic, remembered for the dedupe retention; segments past it are dropped whole
        StoreBuilder<WindowStore<String, String>> seen = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_ARTICLES_STORE, scoring.dedupeRetention(), Duration.ofMillis(1), false),
                Serdes.String(), Serdes.String());
        builder.addStateStore(states);
        builder.addStateStore(seen);
        // the alerting section of the rules in force: a release that changes it applies at the next step
        Scorer scorer = new Scorer(() -> activeRules.matcher().rules().alerting(), scoring, clock);
        return hits.process(() -> new EscalationProcessor(TOPIC_STATE_STORE, SEEN_ARTICLES_STORE, scorer, expiryInterval, metrics, clock),
                Named.as("score-topics"), TOPIC_STATE_STORE, SEEN_ARTICLES_STORE);
    }

    private void writeDecisions(KStream<TopicName, Decision> decisions) {
        decisions.split(Named.as("decision-"))
                .branch((topic, d) -> d instanceof Decision.ScoreUpdate, Branched.withConsumer(scores -> scores
                        .mapValues(d -> ((Decision.ScoreUpdate) d).score(), Named.as("score-value"))
                        .to(scoresTopic.name(), scoresTopic.produced().withName("write-scores")), "scores"))
                .branch((topic, d) -> d instanceof Decision.LevelChange, Branched.withConsumer(alerts -> alerts
                        .mapValues(d -> ((Decision.LevelChange) d).alert(), Named.as("alert-value"))
                        .to(alertsTopic.name(), alertsTopic.produced().withName("write-alerts")), "alerts"))
                .noDefaultBranch();
    }
}
