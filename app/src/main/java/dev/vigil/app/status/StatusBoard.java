package dev.vigil.app.status;

import dev.vigil.model.FeedHealth;
import dev.vigil.model.FeedState;
import dev.vigil.model.Level;
import dev.vigil.model.LogText;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the status page shows, kept current: every watched topic's level and score history (read
 * from {@code vigil.scores}), feed health (from the ingest service in this process, when there is
 * one) and throughput (from this process's meters). Readers wait on {@link #awaitChange} for the
 * next update, which is how the page's event stream stays live without polling.
 */
public final class StatusBoard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
    /** Points kept per topic: enough for a day at one score a minute, bounded for a busy topic. */
    static final int MAX_POINTS = 1_500;

    private final KafkaConnection kafka;
    private final Duration history;
    private final Map<Level, Double> thresholds;
    private final Supplier<List<FeedState>> feeds;
    private final MeterRegistry registry;
    private final Clock clock;
    /** {@code Topics.SCORES} as this deployment names it. */
    private final Topic<TopicName, TopicScore> scoresTopic;

    private final Map<TopicName, Deque<StatusView.Point>> points = new TreeMap<>(Comparator.comparing(TopicName::value));
    private final Map<TopicName, TopicScore> latest = new HashMap<>();
    /** Recent points with the board version that added them, for {@link #since}. */
    private final Deque<Versioned> recent = new ArrayDeque<>();
    private Throughput throughput = new Throughput(0, 0, 0, 0, null);
    private long version;
    private volatile boolean running;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param history    how far back (event time) scores are read and charted
     * @param thresholds each level's entry threshold, drawn on the charts
     * @param feeds      the feeds this process polls, with their health; empty when it polls none
     */
    public StatusBoard(KafkaConnection kafka, Duration history, Map<Level, Double> thresholds, Supplier<List<FeedState>> feeds,
            MeterRegistry registry, Clock clock) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.history = Objects.requireNonNull(history, "history");
        this.thresholds = Map.copyOf(thresholds);
        this.feeds = Objects.requireNonNull(feeds, "feeds");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scoresTopic = kafka.topic(Topics.SCORES);
    }

    /** Throughput of this process: articles ingested and tagged per second over the last interval. */
    record Throughput(double ingestedPerSecond, double taggedPerSecond, double ingestedTotal, double taggedTotal, Instant at) {
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "vigil-status");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Properties p = kafka.consumer();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-status");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        synchronized (this) {
            consumer = c;
        }
        Instant nextSample = clock.instant();
        try {
            List<TopicPartition> partitions = c.partitionsFor(scoresTopic.name(), Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            seekToHistory(c, partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    read(r);
                }
                if (!clock.instant().isBefore(nextSample)) {
                    sample();
                    nextSample = clock.instant().plusSeconds(5);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (KafkaException e) {
            log.error("status: reading {} failed; the status page stops updating scores: {}", scoresTopic, e.toString());
        } finally {
            c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void seekToHistory(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        long since = clock.instant().minus(history).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            if (at == null) {
                c.seekToEnd(List.of(tp));
            } else {
                c.seek(tp, at.offset());
            }
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        TopicScore score;
        try {
            score = scoresTopic.value(r.value());
        } catch (SerializationException e) {
            log.warn("status: skipping an unreadable score at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), LogText.of(e.getMessage()));
            return;
        }
        if (score == null) {
            return;
        }
        synchronized (this) {
            latest.put(score.topic(), score);
            Deque<StatusView.Point> series = points.computeIfAbsent(score.topic(), t -> new ArrayDeque<>());
            StatusView.Point point = new StatusView.Point(score.topic().value(), score.window().end().toEpochMilli(), score.score(), score.level().wireName());
            series.addLast(point);
            while (series.size() > MAX_POINTS) {
                series.removeFirst();
            }
            version++;
            recent.addLast(new Versioned(version, point));
            while (recent.size() > 500) {
                recent.removeFirst();
            }
            notifyAll();
        }
    }

    private void sample() {
        double ingested = count("vigil.ingest.articles");
        double tagged = count("vigil.articles.tagged");
        Instant now = clock.instant();
        synchronized (this) {
            Throughput before = throughput;
            double seconds = before.at() == null ? 0 : Math.max(0.001, Duration.between(before.at(), now).toMillis() / 1000.0);
            throughput = seconds == 0
                    ? new Throughput(0, 0, ingested, tagged, now)
                    : new Throughput(Math.max(0, ingested - before.ingestedTotal()) / seconds, Math.max(0, tagged - before.taggedTotal()) / seconds,
                    ingested, tagged, now);
            version++;
            notifyAll();
        }
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The whole board, for a page that just opened. */
    public synchronized StatusView.Snapshot snapshot() {
        List<StatusView.Topic> topics = new ArrayList<>();
        points.forEach((topic, series) -> {
            TopicScore s = latest.get(topic);
            topics.add(new StatusView.Topic(topic.value(), s.level().wireName(), s.score(), s.stories(), s.sources(), s.window().end().toEpochMilli(),
                    thresholdsByName(), List.copyOf(series)));
        });
        return new StatusView.Snapshot(version, clock.instant().toEpochMilli(), thresholdsByName(), topics, feedHealth(), throughputView());
    }

    /** What changed since {@code version}: new score points, feeds and throughput. */
    public synchronized StatusView.Update since(long version) {
        List<StatusView.Point> fresh = recent.stream().filter(v -> v.version() > version).map(Versioned::point).toList();
        return new StatusView.Update(this.version, fresh, feedHealth(), throughputView());
    }

    private record Versioned(long version, StatusView.Point point) {
    }

    /** False once closed (or before {@link #start()}): readers stop waiting on it. */
    public boolean isRunning() {
        return running;
    }

    /** Waits until the board is newer than {@code version}, or the timeout passes; returns the current version. */
    public synchronized long awaitChange(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.version <= version && running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return this.version;
    }

    private Map<String, Double> thresholdsByName() {
        Map<String, Double> out = new TreeMap<>();
        thresholds.forEach((level, t) -> out.put(level.wireName(), t));
        return out;
    }

    private StatusView.Throughput throughputView() {
        return new StatusView.Throughput(throughput.ingestedPerSecond(), throughput.taggedPerSecond());
    }

    private StatusView.Feeds feedHealth() {
        List<FeedState> states = feeds.get();
        FeedHealth.Summary summary = FeedHealth.Summary.of(states);
        List<StatusView.FeedProblem> problems = new ArrayList<>();
        for (FeedState s : states) {
            FeedHealth h = s.health();
            if (h == FeedHealth.FAILING || h == FeedHealth.SLOWED) {
                problems.add(new StatusView.FeedProblem(s.feed().value(), h.wireName(), s.consecutiveFailures(),
                        s.failureReason() == null ? null : s.failureReason().wireName(), s.lastError()));
            }
        }
        problems.sort((a, b) -> Integer.compare(b.failures(), a.failures()));
        return StatusView.Feeds.of(summary, problems.subList(0, Math.min(20, problems.size())));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            notifyAll();
            t = thread;
            if (consumer != null) {
                consumer.wakeup();
            }
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
