package dev.vigil.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's decision not to be notified of some alerts until a time: the value of
 * {@code vigil.silences}, keyed by {@link #id()}. It matches an alert when its topic (if set) and
 * its level (if set) both equal the alert's; at least one of them is set. A silenced alert is
 * still recorded on {@code vigil.deliveries} (outcome {@code silenced}), never dropped unseen.
 *
 * <pre>{@code
 * {"schemaVersion":1,"id":"s-3f9a1c2b7d4e","topic":"venezuela","level":"elevated",
 *  "until":"2026-12-01T00:00:00Z","reason":"known exercise","createdBy":"cli","createdAt":"2026-11-28T09:00:00Z"}
 * }</pre>
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param id            the silence's id
 * @param topic         the watched topic it silences, or {@code null} for any topic
 * @param level         the level it silences, or {@code null} for any level
 * @param until         when it stops applying
 * @param reason        why, for the people who will wonder where their alerts went
 * @param createdBy     where it came from: {@code cli}, {@code api} or {@code routing-file}
 * @param createdAt     when it was made
 */
public record Silence(int schemaVersion, SilenceId id, TopicName topic, Level level, Instant until, String reason, String createdBy, Instant createdAt) {

    public static final int SCHEMA_VERSION = 1;

    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason: expected a reason, found an empty one");
        }
        if (topic == null && level == null) {
            throw new IllegalArgumentException("silence: expected a topic, a level or both; a silence of everything is not allowed");
        }
        createdBy = Objects.requireNonNullElse(createdBy, "unknown");
    }

    /** True while it applies at {@code now}. */
    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }

    /** True when it applies to an alert about {@code alertTopic} at {@code alertLevel}. */
    public boolean matches(TopicName alertTopic, Level alertLevel) {
        return (topic == null || topic.equals(alertTopic)) && (level == null || level == alertLevel);
    }
}
