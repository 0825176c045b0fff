package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The part of an article a rule term matched in. */
public enum Field {
    TITLE,
    BODY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
