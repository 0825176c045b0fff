package dev.vigil.model;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Kafka topic Vigil reads or writes, with its key and value types and its layout
 * ({@link TopicSpec}; a topic without one has a single partition and the broker's retention).
 * Topic names appear nowhere else in the code. The payloads are documented in
 * {@code docs/asyncapi.yaml}.
 */
public final class Topics {

    /**
     * Partitions of {@code vigil.ingest.state}: the units in which ingest instances share the
     * feeds, so also the most ingest instances that can usefully run.
     */
    public static final int INGEST_STATE_PARTITIONS = 12;

    /** What the audit topics (alerts, deliveries, dead letters) keep. */
    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    /** Articles from ingest, keyed by article id. */
    public static final Topic<ArticleId, Article> ARTICLES = new Topic<>(
            "vigil.articles", new StringKeySerde<>(ArticleId::new, ArticleId::value), new JsonSerde<>(Article.class), TopicSpec.partitions(3));

    /** Everything ingest could not do, keyed by feed. */
    public static final Topic<FeedId, IngestError> INGEST_ERRORS = new Topic<>(
            "vigil.ingest.errors", new StringKeySerde<>(FeedId::new, FeedId::value), new JsonSerde<>(IngestError.class));

    /**
     * What ingest remembers per feed (validators, items seen, schedule, health), keyed by feed;
     * compacted. Its partitions are also how ingest instances share the feeds: an instance polls
     * the feeds whose key falls in a partition the consumer group assigned to it.
     */
    public static final Topic<FeedId, FeedState> INGEST_STATE = new Topic<>(
            "vigil.ingest.state", new StringKeySerde<>(FeedId::new, FeedId::value), new JsonSerde<>(FeedState.class), TopicSpec.partitions(INGEST_STATE_PARTITIONS).compact());

    /**
     * The feed catalogue, keyed by feed; compacted, so it holds the latest definition of every
     * feed and a removed feed is a tombstone (null value). Every ingest instance reads all of it
     * and follows it live; {@code vigil feeds add|remove|import} write it.
     */
    public static final Topic<FeedId, FeedDefinition> FEEDS = new Topic<>(
            "vigil.feeds", new StringKeySerde<>(FeedId::new, FeedId::value), new JsonSerde<>(FeedDefinition.class), TopicSpec.partitions(1).compact());

    /** Articles with their rule matches, keyed by article id. */
    public static final Topic<ArticleId, TaggedArticle> ARTICLES_TAGGED = new Topic<>(
            "vigil.articles.tagged", new StringKeySerde<>(ArticleId::new, ArticleId::value), new JsonSerde<>(TaggedArticle.class), TopicSpec.partitions(3));

    /**
     * Records Streams could not process, unchanged, with headers that say where each came from
     * and why ({@link DeadLetter}); keyed and valued as the source record was, so they can be
     * replayed. Nothing Streams reads is dropped unseen: what it cannot read or write lands here.
     */
    public static final Topic<byte[], byte[]> ARTICLES_DLQ = new Topic<>(
            "vigil.articles.dlq", Serdes.ByteArray(), Serdes.ByteArray(), TopicSpec.partitions(1).retention(THIRTY_DAYS));

    /** Escalation score updates, keyed by watched topic. */
    public static final Topic<TopicName, TopicScore> SCORES = new Topic<>(
            "vigil.scores", new StringKeySerde<>(TopicName::new, TopicName::value), new JsonSerde<>(TopicScore.class), TopicSpec.partitions(3));

    /** Level changes, keyed by watched topic. */
    public static final Topic<TopicName, Alert> ALERTS = new Topic<>(
            "vigil.alerts", new StringKeySerde<>(TopicName::new, TopicName::value), new JsonSerde<>(Alert.class), TopicSpec.partitions(3).retention(THIRTY_DAYS));

    /** Every delivery attempt, keyed by alert id. */
    public static final Topic<String, Delivery> DELIVERIES = new Topic<>(
            "vigil.deliveries", new StringKeySerde<>(s -> s, s -> s), new JsonSerde<>(Delivery.class), TopicSpec.partitions(1).retention(THIRTY_DAYS));

    /** Alerts that could not be delivered, with the reason, keyed by alert id. */
    public static final Topic<String, Delivery> ALERTS_DLQ = new Topic<>(
            "vigil.alerts.dlq", new StringKeySerde<>(s -> s, s -> s), new JsonSerde<>(Delivery.class), TopicSpec.partitions(1).retention(THIRTY_DAYS));

    /**
     * Records of {@code vigil.alerts} that are not alerts (no bytes, no value, not JSON, not an
     * Alert, a {@code schemaVersion} other than 1), unchanged: the source key, value and headers,
     * with the headers {@link DeadLetter} adds to say where each came from and why. The
     * {@code vigil.articles.dlq} of the alerts service; {@code vigil dlq --dlq vigil.alerts.malformed}
     * lists and replays them. (Each also leaves a {@link Delivery} on {@link #ALERTS_DLQ}, which
     * says where it was read but carries none of its bytes.)
     */
    public static final Topic<byte[], byte[]> ALERTS_MALFORMED = new Topic<>(
            "vigil.alerts.malformed", Serdes.ByteArray(), Serdes.ByteArray(), TopicSpec.partitions(1).retention(THIRTY_DAYS));

    /**
     * Alert silences, keyed by silence id; compacted, so the latest state of every silence is
     * kept and a removed one is a tombstone (null value). Every alerts instance reads all of it.
     */
    public static final Topic<SilenceId, Silence> SILENCES = new Topic<>(
            "vigil.silences", new StringKeySerde<>(SilenceId::new, SilenceId::value), new JsonSerde<>(Silence.class), TopicSpec.partitions(1).compact());

    /**
     * Rule set releases from {@code vigil rules apply}, compacted, always under the key
     * {@link RulesRelease#KEY}: the streams service reads it as a global store and switches to the
     * latest valid release without a restart.
     */
    public static final Topic<String, RulesRelease> RULES = new Topic<>(
            "vigil.rules", new StringKeySerde<>(s -> s, s -> s), new JsonSerde<>(RulesRelease.class), TopicSpec.partitions(1).compact());

    private Topics() {
    }

    /** All of them, for creating them up front. */
    public static List<Topic<?, ?>> all() {
        return List.of(ARTICLES, INGEST_ERRORS, INGEST_STATE, FEEDS, ARTICLES_TAGGED, ARTICLES_DLQ, SCORES, ALERTS, DELIVERIES, ALERTS_DLQ, ALERTS_MALFORMED, SILENCES, RULES);
    }

    /**
     * The topics that hold {@link DeadLetter}s (source bytes and where from), each named after what
     * it keeps: what {@code vigil dlq} reads.
     */
    public static List<Topic<byte[], byte[]>> deadLetterTopics() {
        return List.of(ARTICLES_DLQ, ALERTS_MALFORMED);
    }
}
