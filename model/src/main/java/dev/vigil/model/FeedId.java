package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Operator-chosen name of one feed, e.g. {@code caribbean-herald}; safe as a metric tag. */
public record FeedId(@JsonValue String value) {

    public FeedId {
        IdSyntax.requireName("feed id", value);
    }

    @JsonCreator
    public static FeedId of(String value) {
        return new FeedId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
