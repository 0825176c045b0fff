package dev.vigil.ingest;

import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.LogText;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed catalogue as the compacted topic {@code vigil.feeds} holds it: read in full when
 * opened, then written by {@link #put}, {@link #remove} and {@link #seed}, and followed by
 * ingest ({@link #poll}). Not thread-safe: one thread uses it.
 *
 * <pre>{@code
 * try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, Duration.ofSeconds(30))) {
 *     catalogue.put(spec.toDefinition("cli", Instant.now()));
 *     catalogue.feeds().values().forEach(System.out::println);
 * }
 * }</pre>
 */
public final class FeedCatalogue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedCatalogue.class);

    private final KafkaConnection kafka;
    /** {@code vigil.feeds} as this deployment names it. */
    private final Topic<FeedId, FeedDefinition> topic;
    private final Duration timeout;
    private final CompactedReader<FeedId, FeedDefinition> reader;
    private final Map<FeedId, FeedDefinition> feeds = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    private final List<CompactedReader.Change<FeedId, FeedDefinition>> unseen = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;

    private FeedCatalogue(KafkaConnection kafka, Duration timeout, Consumer<String> onInvalid) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.topic = kafka.topic(Topics.FEEDS);
        this.reader = new CompactedReader<>(kafka, topic, "vigil-feeds", timeout, onInvalid);
    }

    /** Reads the whole catalogue; an unreadable record is logged and skipped. */
    public static FeedCatalogue open(KafkaConnection kafka, Duration timeout) {
        return open(kafka, timeout, why -> log.warn("feeds: skipping an unreadable catalogue record {}", LogText.of(why)));
    }

    /** Reads the whole catalogue, telling {@code onInvalid} about each record it cannot read. */
    /** {@link #open(KafkaConnection, Duration)} on an open cluster (the embedded broker). */
    public static FeedCatalogue open(String bootstrapServers, Duration timeout) {
        return open(KafkaConnection.to(bootstrapServers), timeout);
    }

    /** Reads the whole catalogue, telling {@code onInvalid} about each record it cannot read. */
    static FeedCatalogue open(KafkaConnection kafka, Duration timeout, Consumer<String> onInvalid) {
        FeedCatalogue c = new FeedCatalogue(kafka, timeout, onInvalid);
        try {
            c.apply(c.reader.readToEnd(timeout));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private List<CompactedReader.Change<FeedId, FeedDefinition>> apply(List<CompactedReader.Change<FeedId, FeedDefinition>> changes) {
        List<CompactedReader.Change<FeedId, FeedDefinition>> out = new ArrayList<>();
        for (var c : changes) {
            if (c.value() != null && !c.value().id().equals(c.key())) {
                log.warn("feeds: the catalogue holds feed {} under the key {}; ignored", c.value().id(), LogText.of(c.key()));
                continue;
            }
            if (c.value() == null) {
                feeds.remove(c.key());
            } else {
                feeds.put(c.key(), c.value());
            }
            out.add(c);
        }
        unseen.addAll(out);
        return out;
    }

    /** Every feed in the catalogue, by id. */
    public Map<FeedId, FeedDefinition> feeds() {
        return Collections.unmodifiableMap(feeds);
    }

    public Optional<FeedDefinition> get(FeedId id) {
        return Optional.ofNullable(feeds.get(id));
    }

    /**
     * What changed since the last call (after {@link #open}: the whole catalogue as read), waiting
     * at most {@code wait} for news; a {@code null} value is a removed feed.
     */
    List<CompactedReader.Change<FeedId, FeedDefinition>> poll(Duration wait) {
        apply(reader.poll(wait));
        List<CompactedReader.Change<FeedId, FeedDefinition>> out = List.copyOf(unseen);
        unseen.clear();
        return out;
    }

    /** Interrupts a {@link #poll} from another thread. */
    void wakeup() {
        reader.wakeup();
    }

    /** Adds or replaces a feed, and waits for Kafka to acknowledge it. */
    public void put(FeedDefinition feed) {
        send(List.of(feed.id()), List.of(feed));
        feeds.put(feed.id(), feed);
    }

    /** Removes a feed (a tombstone); false when the catalogue has no such feed. */
    public boolean remove(FeedId id) {
        if (!feeds.containsKey(id)) {
            return false;
        }
        send(List.of(id), Collections.singletonList(null));
        feeds.remove(id);
        return true;
    }

    /**
     * Writes each feed that the catalogue does not already hold as it is ({@link FeedDefinition#sameFeed}),
     * leaving every other feed alone; returns the feeds written.
     */
    public List<FeedDefinition> seed(List<FeedDefinition> wanted) {
        List<FeedDefinition> changed = wanted.stream().filter(f -> !f.sameFeed(feeds.get(f.id()))).toList();
        if (!changed.isEmpty()) {
            send(changed.stream().map(FeedDefinition::id).toList(), changed);
            changed.forEach(f -> feeds.put(f.id(), f));
        }
        return changed;
    }

    private void send(List<FeedId> ids, List<FeedDefinition> values) {
        if (producer == null) {
            Properties p = kafka.durableProducer("vigil-feeds");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            sent.add(producer.send(topic.record(ids.get(i), values.get(i))));
        }
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to " + topic + " at " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        reader.close();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
