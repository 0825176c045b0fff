package dev.vigil.model.kafka;

import dev.vigil.model.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of one topic without a consumer group (so every instance sees every
 * record) and only committed records: from a {@link Start} (by default the beginning, which
 * reads a compacted topic such as {@code vigil.silences} in full) up to the end offsets taken
 * when it opened — then it is {@link #caughtUp()} — and on from there for as long as it is
 * polled. The one home of that logic for the catalogue, the saved feed states, the silences,
 * the rules, the dead letters, the API's alert feed and the status board.
 *
 * <p>Records come either as they are on the topic ({@link #records}) or decoded with the topic's
 * serdes ({@link #changes}); a record that does not decode is reported to {@code onUnreadable}
 * with its position and skipped, the rest is untouched. Not thread-safe: one thread polls it and
 * closes it; another may only {@link #wakeup()} it.
 *
 * <pre>{@code
 * try (TopicReader<Change<SilenceId, Silence>> reader = TopicReader.changes(kafka, kafka.topic(Topics.SILENCES),
 *         "vigil-silences", Start.beginning(), Duration.ofSeconds(30), bad -> log.warn("skipped {}", bad))) {
 *     for (Change<SilenceId, Silence> c : reader.readToEnd(Duration.ofSeconds(30))) {
 *         if (c.isTombstone()) silences.remove(c.key()); else silences.put(c.key(), c.value());
 *     }
 * }
 * }</pre>
 *
 * @param <T> what one record is read as
 */
public final class TopicReader<T> implements AutoCloseable {

    /** Where reading starts in each partition. */
    public sealed interface Start {

        /** The first record still on each partition: a compacted topic in full. */
        static Start beginning() {
            return new Beginning();
        }

        /** The last {@code records} offsets of each partition (all of it when it holds fewer). */
        static Start last(int records) {
            return new Last(records);
        }

        /** The first record of each partition with a timestamp at or after {@code time}; none (its end) when there is none. */
        static Start since(Instant time) {
            return new Since(time);
        }

        /** See {@link #beginning()}. */
        record Beginning() implements Start {
        }

        /** See {@link #last(int)}. */
        record Last(int records) implements Start {
            public Last {
                if (records < 0) {
                    throw new IllegalArgumentException("records: expected 0 or more, found " + records);
                }
            }
        }

        /** See {@link #since(Instant)}. */
        record Since(Instant time) implements Start {
            public Since {
                Objects.requireNonNull(time, "time");
            }
        }
    }

    /**
     * Turns one record into what the reader returns; throws {@link SerializationException},
     * {@link IllegalArgumentException} or {@link NullPointerException} for a record it cannot read.
     */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(ConsumerRecord<byte[], byte[]> record);
    }

    /**
     * One record decoded with its topic's serdes.
     *
     * @param value the key's new value; {@code null} for a tombstone (the key was removed)
     */
    public record Change<K, V>(int partition, long offset, K key, V value) {

        public boolean isTombstone() {
            return value == null;
        }
    }

    /** A record that did not decode, and why; it was skipped. */
    public record Unreadable(String topic, int partition, long offset, String reason) {

        /** {@code topic-partition@offset: reason}, as Kafka names a position. */
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset + ": " + reason;
        }
    }

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Decoder<T> decoder;
    private final Consumer<Unreadable> onUnreadable;
    private final Map<TopicPartition, Long> endAtStart;
    private boolean caughtUp;

    private TopicReader(KafkaConnection kafka, Topic<?, ?> topic, String clientId, Start start, Duration timeout, Decoder<T> decoder,
            Consumer<Unreadable> onUnreadable) {
        Objects.requireNonNull(kafka, "kafka");
        this.topic = Objects.requireNonNull(topic, "topic").name();
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(timeout, "timeout");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.onUnreadable = Objects.requireNonNull(onUnreadable, "onUnreadable");
        Properties p = kafka.consumer();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(this.topic, timeout).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + this.topic + " does not exist at " + kafka.bootstrapServers()
                        + "; Vigil creates it with its other topics when a service starts");
            }
            consumer.assign(partitions);
            // with read_committed these are the last stable offsets: what is committed now
            endAtStart = consumer.endOffsets(partitions, timeout);
            seek(start, partitions, timeout);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    /**
     * Opens a reader of {@code topic} (as this deployment names it, {@link KafkaConnection#topic})
     * that decodes each record's key and value with the topic's serdes.
     *
     * @param timeout      how long opening, and each call to Kafka, may take
     * @param onUnreadable told about each record that does not decode (skipped)
     * @throws IllegalStateException when the topic does not exist
     */
    public static <K, V> TopicReader<Change<K, V>> changes(KafkaConnection kafka, Topic<K, V> topic, String clientId, Start start, Duration timeout,
            Consumer<Unreadable> onUnreadable) {
        Decoder<Change<K, V>> decoder = r -> new Change<>(r.partition(), r.offset(), topic.key(r.key()), r.value() == null ? null : topic.value(r.value()));
        return new TopicReader<>(kafka, topic, clientId, start, timeout, decoder, onUnreadable);
    }

    /**
     * Opens a reader of {@code topic} that returns each record as it is (key, value and headers
     * as bytes), for a reader that decodes in its own way.
     *
     * @throws IllegalStateException when the topic does not exist
     */
    public static TopicReader<ConsumerRecord<byte[], byte[]>> records(KafkaConnection kafka, Topic<?, ?> topic, String clientId, Start start,
            Duration timeout) {
        // the identity never fails to decode, so nothing is ever unreadable
        return new TopicReader<>(kafka, topic, clientId, start, timeout, r -> r, bad -> { });
    }

    private void seek(Start start, List<TopicPartition> partitions, Duration timeout) {
        if (start instanceof Start.Last last) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.max(begin.get(tp), endAtStart.get(tp) - last.records()));
            }
        } else if (start instanceof Start.Since since) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, since.time().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp at = found.get(tp);
                if (at == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, at.offset());
                }
            }
        } else {
            consumer.seekToBeginning(partitions);
        }
    }

    /**
     * True once everything that was committed on the topic when this reader opened has been read
     * (transaction markers take offsets too, so this compares positions, not counts).
     */
    public boolean caughtUp() {
        if (!caughtUp) {
            caughtUp = endAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        return caughtUp;
    }

    /**
     * The records that arrived since the last poll, in order per partition, waiting at most
     * {@code timeout} for some; throws {@link org.apache.kafka.common.errors.WakeupException}
     * after {@link #wakeup()}.
     */
    public List<T> poll(Duration timeout) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            T read;
            try {
                read = decoder.decode(r);
            } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
                onUnreadable.accept(new Unreadable(r.topic(), r.partition(), r.offset(), String.valueOf(e.getMessage())));
                continue;
            }
            out.add(read);
        }
        return out;
    }

    /**
     * Everything from the start up to the end offsets taken when this reader opened (and maybe a
     * little after), in order per partition; throws {@link IllegalStateException} if that takes
     * longer than {@code timeout}.
     */
    public List<T> readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> out = new ArrayList<>();
        while (!caughtUp()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
            }
            out.addAll(poll(Duration.ofMillis(200)));
        }
        return out;
    }

    /** Wakes a {@link #poll} in progress, from another thread; it then throws {@code WakeupException}. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
