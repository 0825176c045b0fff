package dev.vigil.ingest;

import dev.vigil.model.Topic;
import dev.vigil.model.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a compacted topic in full, from the beginning of every partition and without a consumer
 * group, then follows it: what every reader of a catalogue-like topic needs. A record that cannot
 * be read is reported to {@code onInvalid} with its position and skipped; the rest is untouched.
 * Not thread-safe: one thread polls it.
 *
 * @param <K> the topic's key type
 * @param <V> the topic's value type; a {@code null} value is a tombstone (the key was removed)
 */
final class CompactedReader<K, V> implements AutoCloseable {

    /** One record: the key and its new value, {@code null} when the key was removed. */
    record Change<K, V>(K key, V value) {
    }

    private final Topic<K, V> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> endAtStart;
    private final Consumer<String> onInvalid;
    private boolean caughtUp;

    CompactedReader(KafkaConnection kafka, Topic<K, V> topic, String clientId, Duration timeout, Consumer<String> onInvalid) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.onInvalid = Objects.requireNonNull(onInvalid, "onInvalid");
        Properties p = kafka.consumer();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist at " + kafka.bootstrapServers()
                        + "; Vigil creates it with its other topics when a service starts");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            endAtStart = consumer.endOffsets(partitions, timeout);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    /** True once everything that was on the topic when this reader opened has been read. */
    boolean caughtUp() {
        if (!caughtUp) {
            caughtUp = endAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        return caughtUp;
    }

    /** The records that arrived since the last poll, in order, waiting at most {@code timeout} for some. */
    List<Change<K, V>> poll(Duration timeout) {
        List<Change<K, V>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            try {
                K key = topic.key(r.key());
                V value = r.value() == null ? null : topic.value(r.value());
                out.add(new Change<>(key, value));
            } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
                onInvalid.accept(r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Everything on the topic now, in order; throws {@link IllegalStateException} if that takes longer than {@code timeout}. */
    List<Change<K, V>> readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Change<K, V>> out = new ArrayList<>();
        while (!caughtUp()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
            }
            out.addAll(poll(Duration.ofMillis(200)));
        }
        return out;
    }

    /** Wakes a {@link #poll} in progress (from another thread), which then throws {@code WakeupException}. */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
