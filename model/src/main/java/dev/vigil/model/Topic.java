package dev.vigil.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** The longest topic name Kafka accepts. */
    public static final int MAX_NAME_LENGTH = 249;

    /** The characters Kafka allows in a topic name, as Vigil's messages say them. */
    public static final String NAME_CHARACTERS = "letters, digits, '.', '_' or '-'";

    private static final Pattern ILLEGAL_CHARACTER = Pattern.compile("[^a-zA-Z0-9._-]");

    public Topic {
        Objects.requireNonNull(name, "name");
        nameProblem(name).ifPresent(problem -> {
            throw new IllegalArgumentException("topic name: " + problem);
        });
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
     * Whether every character of {@code text} may be in a Kafka topic name: ASCII letters and
     * digits, {@code .}, {@code _} and {@code -}. True for the empty text, so a prefix can be
     * checked with it.
     */
    public static boolean hasLegalCharacters(String text) {
        return !ILLEGAL_CHARACTER.matcher(Objects.requireNonNull(text, "text")).find();
    }

    /** What is wrong with {@code name} as a Kafka topic name, if anything: {@link #nameProblem(String, int)} up to 249. */
    public static Optional<String> nameProblem(String name) {
        return nameProblem(name, MAX_NAME_LENGTH);
    }

    /**
     * What is wrong with {@code name} as a name Kafka holds to its topic-name rule, if anything,
     * said for people: 1 to {@code maxLength} of {@value #NAME_CHARACTERS}, and not {@code .} or
     * {@code ..}. This is the one home of Kafka's rule in Vigil (Kafka's own check,
     * {@code org.apache.kafka.common.internals.Topic}, is not public API); Kafka applies it to
     * topic names and to a {@code group.instance.id}, and a Streams {@code application.id} starts
     * the names of its internal topics. A caller with a tighter bound than Kafka's 249 gives it.
     *
     * <pre>{@code
     * Topic.nameProblem("a b", 100)  // "expected 1 to 100 letters, digits, '.', '_' or '-', found 'a b' (' ' is not one)"
     * }</pre>
     */
    public static Optional<String> nameProblem(String name, int maxLength) {
        Objects.requireNonNull(name, "name");
        if (maxLength < 1 || maxLength > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("maxLength: expected 1 to " + MAX_NAME_LENGTH + ", found " + maxLength);
        }
        String expected = "expected 1 to " + maxLength + " " + NAME_CHARACTERS + ", found ";
        if (name.isEmpty()) {
            return Optional.of(expected + "nothing");
        }
        Matcher illegal = ILLEGAL_CHARACTER.matcher(name);
        if (illegal.find()) {
            int c = name.codePointAt(illegal.start());
            String shown = c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format(Locale.ROOT, "U+%04X", c);
            return Optional.of(expected + "'" + name + "' (" + shown + " is not one)");
        }
        if (name.length() > maxLength) {
            return Optional.of(expected + name.length() + " characters: '" + name + "'");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of(expected + "'" + name + "' (Kafka refuses '.' and '..' as names)");
        }
        return Optional.empty();
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
