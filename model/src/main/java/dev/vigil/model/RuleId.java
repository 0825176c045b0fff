package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Id of one rule (a topic definition or a signal) in the rules file, e.g. {@code strike}. */
public record RuleId(@JsonValue String value) {

    public RuleId {
        IdSyntax.requireName("rule id", value);
    }

    @JsonCreator
    public static RuleId of(String value) {
        return new RuleId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
