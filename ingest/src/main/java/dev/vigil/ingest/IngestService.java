package dev.vigil.ingest;

import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.ingest.feed.FeedParser;
import dev.vigil.ingest.fetch.Fetcher;
import dev.vigil.ingest.fetch.RobotsCache;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedHealth;
import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.IngestError;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the feeds Kafka assigns to this instance and publishes articles to
 * {@code vigil.articles}, failures to {@code vigil.ingest.errors} and each feed's state to
 * {@code vigil.ingest.state}. Instances share the feed list through the consumer group on the
 * state topic ({@link FeedAssignment}): no coordinator of ours, no feed polled twice, and a dead
 * instance's feeds move to the survivors. {@link #start()} and {@link #close()} are idempotent.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    /** A 304 poll changes only counters: its state is written at most this often. */
    static final Duration QUIET_STATE_REFRESH = Duration.ofMinutes(10);

    private final IngestSettings settings;
    private final MeterRegistry registry;
    private final IngestMetrics metrics;
    private final Clock clock;
    /** {@code Topics.FEEDS} as this deployment names it. */
    private final Topic<FeedId, FeedDefinition> feedsTopic;
    /** {@code Topics.INGEST_STATE} as this deployment names it. */
    private final Topic<FeedId, FeedState> ingestStateTopic;
    /** {@code Topics.ARTICLES} as this deployment names it. */
    private final Topic<ArticleId, Article> articlesTopic;
    /** {@code Topics.INGEST_ERRORS} as this deployment names it. */
    private final Topic<FeedId, IngestError> ingestErrorsTopic;
    private final Map<FeedId, Saved> saved = new ConcurrentHashMap<>();
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaClientMetrics producerMetrics;
    private Fetcher fetcher;
    private PollScheduler scheduler;
    private FeedAssignment assignment;

    private final ReachabilityWatch reachability = new ReachabilityWatch();

    private record Saved(java.time.Instant at, FeedState state) {
    }

    public IngestService(IngestSettings settings, MeterRegistry registry, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.metrics = new IngestMetrics(registry);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.feedsTopic = settings.kafka().topic(Topics.FEEDS);
        this.ingestStateTopic = settings.kafka().topic(Topics.INGEST_STATE);
        this.articlesTopic = settings.kafka().topic(Topics.ARTICLES);
        this.ingestErrorsTopic = settings.kafka().topic(Topics.INGEST_ERRORS);
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        fetcher = new Fetcher(settings.fetch(), settings.egress(), settings.resolver());
        PollContext ctx = new PollContext(fetcher, new FeedParser(clock), new ArticleExtractor(),
                settings.robots() ? Optional.of(new RobotsCache(fetcher, clock)) : Optional.empty(), new KafkaSink(), metrics, clock,
                new PollPolicy(settings.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble()), settings.maxFeedBytes(),
                settings.maxPageBytes(), settings.backfill());
        scheduler = new PollScheduler(settings.threads(), clock, this::keepState);
        scheduler.start();
        metrics.feeds("owned", () -> scheduler == null ? 0 : scheduler.size());
        metrics.feeds("backing_off", () -> scheduler == null ? 0 : scheduler.pollers().stream().filter(p -> p.consecutiveFailures() > 0).count());
        for (FeedHealth h : FeedHealth.values()) {
            metrics.feeds(h.wireName(), () -> feedHealth().count(h));
        }
        Instant started = clock.instant();
        metrics.feeds("silent", () -> scheduler == null ? 0 : scheduler.pollers().stream().filter(p -> silent(p.state(), started, clock.instant())).count());
        assignment = new FeedAssignment(settings, new Polling(ctx), metrics);
        assignment.start();
        log.info("ingest: {} feed(s) {}; this instance polls those in the partitions of {} the group '{}' assigns it",
                assignment.catalogued(), settings.feeds() instanceof FeedSource.Catalogue ? "in the catalogue " + feedsTopic + ", followed live" : "configured",
                ingestStateTopic, settings.groupId());
    }

    /** What the assignment starts, changes and stops, on the scheduler. */
    private final class Polling implements FeedAssignment.Listener {
        private final PollContext ctx;

        Polling(PollContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void start(FeedSpec spec, Optional<FeedState> state) {
            FeedPoller poller = new FeedPoller(spec, ctx, state);
            if (state.isEmpty()) {
                // spread the first polls of new feeds over a second, so a thousand do not fire at once
                poller = poller.delayedFirstPoll(Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.min(1000, spec.interval().toMillis()))));
            }
            scheduler.add(poller);
        }

        @Override
        public void update(FeedSpec spec) {
            Optional<FeedState> state = stop(List.of(spec.id())).values().stream().findFirst();
            // the poller keeps what still holds: seen items always, validators only for the same URL
            scheduler.add(new FeedPoller(spec, ctx, state));
        }

        @Override
        public Map<FeedId, FeedState> stop(Collection<FeedId> feeds) {
            List<FeedPoller> stopping = feeds.stream().map(scheduler::poller).flatMap(Optional::stream).toList();
            scheduler.remove(feeds, Duration.ofSeconds(30));
            saved.keySet().removeAll(feeds);
            // the next owner reads these feeds' states as soon as it is assigned them: make sure they are there
            producer.flush();
            Map<FeedId, FeedState> last = new HashMap<>();
            stopping.forEach(p -> last.put(p.spec().id(), p.state()));
            return last;
        }
    }

    /** A feed with no successful poll for this long (or three of its intervals, if longer) is silent. */
    public static final Duration SILENT_AFTER = Duration.ofHours(1);

    /** No answer from the feed (200 or 304) for {@link #SILENT_AFTER} or three intervals, whichever is longer. */
    static boolean silent(FeedState state, Instant started, Instant now) {
        Duration allowed = Duration.ofMillis(Math.max(SILENT_AFTER.toMillis(), 3 * state.intervalMillis()));
        Instant since = state.lastSuccess() != null ? state.lastSuccess() : started;
        return Duration.between(since, now).compareTo(allowed) > 0;
    }

    /** How many feeds this instance polls right now (its share of the group's). */
    public int ownedFeeds() {
        PollScheduler s = scheduler;
        return s == null ? 0 : s.size();
    }

    /**
     * Feeds in the catalogue (every instance's share) as this instance last read and applied it:
     * once it shows a change, the owner of that feed, if it is this instance, has started or stopped it.
     */
    public int cataloguedFeeds() {
        FeedAssignment a = assignment;
        return a == null ? 0 : a.catalogued();
    }

    /** Logs once when no feed this instance polls can be reached, and once when one can again. */
    private void noticeReachability() {
        FeedHealth.Summary health = feedHealth();
        reachability.observe(health).ifPresent(line -> {
            if (health.noneReachable()) {
                log.warn("{}", line);
            } else {
                log.info("{}", line);
            }
        });
    }

    /** How many of the feeds this instance polls are in each health state (the meter's and the status page's counts). */
    public FeedHealth.Summary feedHealth() {
        PollScheduler s = scheduler;
        return FeedHealth.Summary.count(s == null ? Stream.empty() : s.pollers().stream().map(FeedPoller::health));
    }

    /** The current state of each feed this instance polls: its health view. */
    public List<FeedState> feedStates() {
        PollScheduler s = scheduler;
        return s == null ? List.of() : s.pollers().stream().map(FeedPoller::state).toList();
    }

    /** Whether the group has assigned this instance its partitions and it is polling them. */
    public boolean isRunning() {
        FeedAssignment a = assignment;
        return a != null && a.isAlive();
    }

    private void keepState(FeedPoller poller) {
        noticeReachability();
        FeedState state = poller.state();
        Saved last = saved.get(state.feed());
        boolean quiet = last != null && state.consecutiveFailures() == last.state().consecutiveFailures()
                && Objects.equals(state.etag(), last.state().etag()) && Objects.equals(state.lastModified(), last.state().lastModified())
                && state.seen().equals(last.state().seen())
                && clock.instant().isBefore(last.at().plus(QUIET_STATE_REFRESH));
        if (quiet) {
            return;
        }
        try {
            ProducerRecord<byte[], byte[]> r = ingestStateTopic.record(state.feed(), state);
            producer.send(new ProducerRecord<>(r.topic(), assignment.partitionOf(state.feed()), r.key(), r.value()), (md, e) -> {
                if (e != null) {
                    log.warn("ingest: cannot record the state of {} on {}: {}", state.feed(), ingestStateTopic, e.toString());
                }
            });
            saved.put(state.feed(), new Saved(clock.instant(), state));
        } catch (KafkaException e) {
            log.warn("ingest: cannot record the state of {} on {}: {}", state.feed(), ingestStateTopic, e.toString());
        }
    }

    private Properties producerProperties() {
        Properties p = settings.kafka().durableProducer("vigil-ingest");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return p;
    }

    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        assignment.close();
        scheduler.close();
        fetcher.close();
        producerMetrics.close();
        producer.close(Duration.ofSeconds(10));
        scheduler = null;
        log.info("ingest: stopped");
    }

    private final class KafkaSink implements ArticleSink {

        @Override
        public List<Refused> publish(List<Article> articles) throws PublishException {
            List<Refused> refused = new ArrayList<>();
            List<Article> sentArticles = new ArrayList<>();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try {
                for (Article a : articles) {
                    ProducerRecord<byte[], byte[]> record;
                    try {
                        record = articlesTopic.record(a.id(), a);
                    } catch (RecordTooLargeException | SerializationException e) {
                        refused.add(refusal(a, e));
                        continue;
                    }
                    sentArticles.add(a);
                    sent.add(producer.send(record));
                }
                for (int i = 0; i < sent.size(); i++) {
                    try {
                        sent.get(i).get();
                    } catch (ExecutionException e) {
                        if (!permanent(e.getCause())) {
                            throw e;
                        }
                        refused.add(refusal(sentArticles.get(i), e.getCause()));
                    }
                }
                return refused;
            } catch (ExecutionException | KafkaException e) {
                throw new PublishException("cannot publish to " + articlesTopic + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while publishing", e);
            }
        }

        /** An error of this one record that no retry can mend: too large for the broker, or unserialisable. */
        private static boolean permanent(Throwable e) {
            return e instanceof RecordTooLargeException || e instanceof SerializationException;
        }

        private static Refused refusal(Article a, Throwable e) {
            return new Refused(a, e instanceof RecordTooLargeException ? IngestError.Reason.TOO_LARGE : IngestError.Reason.MALFORMED, e.getMessage());
        }

        @Override
        public void error(IngestError error) {
            try {
                producer.send(ingestErrorsTopic.record(error.feed(), error), (md, e) -> {
                    if (e != null) {
                        log.warn("ingest: cannot record an error on {}: {}", ingestErrorsTopic, e.toString());
                    }
                });
            } catch (KafkaException e) {
                log.warn("ingest: cannot record an error on {}: {}", ingestErrorsTopic, e.toString());
            }
        }
    }
}
