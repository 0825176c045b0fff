package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Name of a watched topic from the rules file, e.g. {@code venezuela}: the key of
 * {@code vigil.scores} and {@code vigil.alerts}. Not to be confused with a Kafka topic, which
 * is a {@link Topic}.
 */
public record TopicName(@JsonValue String value) {

    public TopicName {
        IdSyntax.requireName("topic name", value);
    }

    @JsonCreator
    public static TopicName of(String value) {
        return new TopicName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
