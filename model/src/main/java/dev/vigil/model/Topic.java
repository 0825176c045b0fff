package dev.vigil.model;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A Kafka topic with its key and value types: the only place a topic name is written is
 * {@link Topics}. Use {@link #consumed()} and {@link #produced()} in a Streams topology and the
 * serdes directly with plain clients.
 *
 * <pre>{@code
 * builder.stream(Topics.ARTICLES.name(), Topics.ARTICLES.consumed())
 * }</pre>
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
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

    @Override
    public String toString() {
        return name;
    }
}
