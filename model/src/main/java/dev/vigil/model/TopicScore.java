package dev.vigil.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A topic's escalation score after one article counted: the value of {@code vigil.scores}, keyed by
 * topic. Dashboards and the status page chart these.
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param topic         the watched topic
 * @param score         the score over {@code window}
 * @param level         the level after hysteresis
 * @param window        the event-time window the score covers
 * @param stories       how many stories counted
 * @param sources       how many distinct outlets they came from
 * @param rulesVersion  the rule set version in force
 */
public record TopicScore(int schemaVersion, TopicName topic, double score, Level level, Window window, int stories, int sources, String rulesVersion) {

    public static final int SCHEMA_VERSION = 1;

    public TopicScore {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
    }

    /** A half-open event-time interval {@code [start, end)}. */
    public record Window(Instant start, Instant end) {
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("window: end " + end + " is before start " + start);
            }
        }
    }
}
