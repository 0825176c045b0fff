package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Escalation level of a watched topic, in increasing order of severity. */
public enum Level {
    NORMAL,
    ELEVATED,
    HIGH,
    CRITICAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Level fromWireName(String name) {
        for (Level level : values()) {
            if (level.wireName().equals(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("level: expected one of normal, elevated, high, critical, found '" + name + "'");
    }

    public boolean isAbove(Level other) {
        return compareTo(other) > 0;
    }
}
