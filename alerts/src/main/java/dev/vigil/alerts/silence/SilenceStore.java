package dev.vigil.alerts.silence;

import dev.vigil.model.Level;
import dev.vigil.model.LogText;
import dev.vigil.model.Silence;
import dev.vigil.model.SilenceId;
import dev.vigil.model.Topic;
import dev.vigil.model.TopicName;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silences in force, as the compacted topic {@code vigil.silences} holds them, plus any fixed
 * in the routing file. Every alerts instance (and every {@code vigil silence} command) reads the
 * whole topic, without a consumer group, so each sees every silence; adding writes a silence,
 * removing writes a tombstone. {@link #start} returns once the topic has been read to its end,
 * so an alert is never delivered just because the silences had not been read yet.
 *
 * <pre>{@code
 * try (SilenceStore store = new SilenceStore(bootstrap, List.of(), Clock.systemUTC())) {
 *     store.start(Duration.ofSeconds(30));
 *     store.add(new Silence(1, SilenceId.random(), topic, null, until, "exercise", "cli", now));
 * }
 * }</pre>
 */
public final class SilenceStore implements Silences, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SilenceStore.class);

    private final KafkaConnection kafka;
    private final List<Silence> fixed;
    private final Clock clock;
    /** {@code Topics.SILENCES} as this deployment names it. */
    private final Topic<SilenceId, Silence> silencesTopic;
    private final Map<SilenceId, Silence> fromTopic = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private Thread reader;
    private volatile boolean running;

    /** @param fixed silences from the routing file: always in force until they expire, never removable */
    public SilenceStore(KafkaConnection kafka, List<Silence> fixed, Clock clock) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.fixed = List.copyOf(fixed);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.silencesTopic = kafka.topic(Topics.SILENCES);
    }

    /** Starts reading, and waits until everything already on the topic has been read. */
    public synchronized void start(Duration timeout) {
        if (reader != null) {
            return;
        }
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(kafka.durableProducer("vigil-silences"), new ByteArraySerializer(), new ByteArraySerializer());
        List<TopicPartition> partitions = consumer.partitionsFor(silencesTopic.name(), timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(silencesTopic + " does not exist; it is created with Vigil's other topics");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        running = true;
        reader = new Thread(() -> read(end), "vigil-silences");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("could not read " + silencesTopic + " within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + silencesTopic, e);
        }
    }

    private void read(Map<TopicPartition, Long> end) {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (KafkaException e) {
            log.error("alerts: stopped reading {}: {}; silences added from now on are not seen until a restart", silencesTopic, e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        SilenceId id;
        Silence silence;
        try {
            id = silencesTopic.key(record.key());
            silence = silencesTopic.value(record.value());
        } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
            log.warn("alerts: {}-{}@{} is not a valid silence, ignored: {}", record.topic(), record.partition(), record.offset(), LogText.of(e.getMessage()));
            return;
        }
        if (silence == null) {
            if (fromTopic.remove(id) != null) {
                log.info("alerts: silence {} removed", LogText.of(id));
            }
        } else if (!silence.id().equals(id)) {
            log.warn("alerts: {}-{}@{} holds silence {} under key {}, ignored", record.topic(), record.partition(), record.offset(), silence.id(), LogText.of(id));
        } else if (!silence.equals(fromTopic.put(id, silence))) {
            log.info("alerts: silence {} on {}{} until {}: {}", id, silence.topic() == null ? "any topic" : silence.topic(),
                    silence.level() == null ? "" : " at " + silence.level().wireName(), silence.until(), LogText.of(silence.reason()));
        }
    }

    @Override
    public Optional<Silence> matching(TopicName topic, Level level, Instant now) {
        return all().filter(s -> s.activeAt(now) && s.matches(topic, level)).min(Comparator.comparing(Silence::until).reversed());
    }

    /** Silences in force at {@code now}, soonest to end first. */
    public List<Silence> active(Instant now) {
        return all().filter(s -> s.activeAt(now)).sorted(Comparator.comparing(Silence::until).thenComparing(s -> s.id().value())).toList();
    }

    private Stream<Silence> all() {
        return Stream.concat(fixed.stream(), fromTopic.values().stream());
    }

    /** Writes a silence and waits for Kafka to acknowledge it; it is in force here at once. */
    public Silence add(Silence silence) {
        send(silence.id(), silence);
        fromTopic.put(silence.id(), silence);
        return silence;
    }

    /**
     * Removes a silence (a tombstone on the topic). Returns false when no silence with that id is
     * in force; a silence from the routing file cannot be removed here.
     */
    public boolean remove(SilenceId id) {
        if (fixed.stream().anyMatch(s -> s.id().equals(id))) {
            throw new IllegalArgumentException("silence " + id + " comes from the routing file: remove it there");
        }
        Silence known = fromTopic.get(id);
        if (known == null || !known.activeAt(clock.instant())) {
            return false;
        }
        send(id, null);
        fromTopic.remove(id);
        return true;
    }

    private void send(SilenceId id, Silence value) {
        if (producer == null) {
            throw new IllegalStateException("the silence store is not started");
        }
        try {
            producer.send(silencesTopic.record(id, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing silence " + id, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write silence " + id + " to " + silencesTopic + ": " + e.getMessage(), e);
        }
    }

    private Properties consumerProperties() {
        Properties p = kafka.consumer();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-silences");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    @Override
    public synchronized void close() {
        if (reader == null) {
            // start() failed half-way, or never ran
            if (consumer != null) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
                consumer = null;
            }
            if (producer != null) {
                producer.close(Duration.ZERO);
                producer = null;
            }
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        reader = null;
        consumer = null;
        producer = null;
    }
}

