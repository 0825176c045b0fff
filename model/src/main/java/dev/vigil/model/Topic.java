package dev.vigil.model;

import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A Kafka topic with its key and value types and its layout on the cluster ({@link TopicSpec}):
 * the only place a topic name is written is {@link Topics}. Use {@link #consumed()} and {@link #produced()} in a Streams topology; plain
 * clients use one {@code KafkaProducer<byte[], byte[]>} for every topic through
 * {@link #record} and read with {@link #key} and {@link #value}.
 *
 * <pre>{@code
 * builder.stream(Topics.ARTICLES.name(), Topics.ARTICLES.consumed());
 * producer.send(Topics.ARTICLES.record(article.id(), article));
 * }</pre>
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSpec spec) {

    /**
     * The most bytes (key, value and headers) one record Vigil writes may take, on any topic and
     * from any producer: under Kafka's defaults (the producer's {@code max.request.size} of 1 MiB,
     * the broker's {@code message.max.bytes} of 1 MiB + 12), with room for the headers a dead
     * letter adds. A record over it is a permanent error of that record, never a retry: ingest
     * skips the item with an error event, Streams dead-letters it.
     */
    public static final int MAX_RECORD_BYTES = 1_000_000;

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(spec, "spec");
    }

    /** A topic laid out as {@link TopicSpec#DEFAULT}: one partition, the broker's retention. */
    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        this(name, keySerde, valueSerde, TopicSpec.DEFAULT);
    }

    /**
     * Kafka Streams' source description. kafka-streams is an optional dependency of this module:
     * only the streams module calls this, so ingest and alerts do not carry RocksDB along.
     */
    public Consumed<K, V> consumed() {
        return Consumed.with(keySerde, valueSerde);
    }

    /** Kafka Streams' sink description; see {@link #consumed()}. */
    public Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde);
    }

    /**
     * A record for a byte-array producer, serialised with this topic's serdes; throws
     * {@link RecordTooLargeException} (permanent, as Kafka's own) when it is over
     * {@link #MAX_RECORD_BYTES}, before any producer sees it.
     */
    public ProducerRecord<byte[], byte[]> record(K key, V value) {
        byte[] k = keySerde.serializer().serialize(name, key);
        byte[] v = valueSerde.serializer().serialize(name, value);
        int size = sizeOf(k, v);
        if (size > MAX_RECORD_BYTES) {
            throw new RecordTooLargeException(name + ": a record of " + size + " bytes is over Vigil's limit of " + MAX_RECORD_BYTES + " bytes");
        }
        return new ProducerRecord<>(name, k, v);
    }

    /** Whether a key and value, serialised with this topic's serdes, fit in {@link #MAX_RECORD_BYTES}. */
    public boolean fits(K key, V value) {
        return sizeOf(keySerde.serializer().serialize(name, key), valueSerde.serializer().serialize(name, value)) <= MAX_RECORD_BYTES;
    }

    private static int sizeOf(byte[] key, byte[] value) {
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    }

    /**
     * The same topic under {@code prefix + name}, with the same serdes and layout: how a
     * deployment that shares its cluster with others names its topics
     * ({@link dev.vigil.model.kafka.KafkaConnection#topic}). The empty prefix gives this topic.
     */
    public Topic<K, V> prefixed(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return prefix.isEmpty() ? this : new Topic<>(prefix + name, keySerde, valueSerde, spec);
    }

    /** Reads a key written with this topic's serde. */
    public K key(byte[] bytes) {
        return keySerde.deserializer().deserialize(name, bytes);
    }

    /**
     * Reads a value written with this topic's serde; throws
     * {@link org.apache.kafka.common.errors.SerializationException} naming the type when it is not one.
     */
    public V value(byte[] bytes) {
        return valueSerde.deserializer().deserialize(name, bytes);
    }

    @Override
    public String toString() {
        return name;
    }
}
