package dev.vigil.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for a tiny id type written as its plain UTF-8 string, so keys stay readable in
 * {@code kafka-console-consumer} and partition the same way a plain string key would.
 */
final class StringKeySerde<T> implements Serde<T> {

    private final Function<String, T> parse;
    private final Function<T, String> format;

    StringKeySerde(Function<String, T> parse, Function<T, String> format) {
        this.parse = Objects.requireNonNull(parse, "parse");
        this.format = Objects.requireNonNull(format, "format");
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : format.apply(value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : parse.apply(new String(bytes, StandardCharsets.UTF_8));
    }
}
