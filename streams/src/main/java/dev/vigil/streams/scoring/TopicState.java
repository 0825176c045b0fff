package dev.vigil.streams.scoring;

import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the scorer remembers about one topic, kept in the {@code topic-state} store.
 *
 * @param topic        the topic
 * @param level        current level
 * @param episode      id of the open episode; {@code null} while normal
 * @param change       level changes so far in the open episode
 * @param newest       newest event time seen for the topic
 * @param rulesVersion rule set version of the newest hit
 * @param hits         hits still inside the window, one per article
 */
public record TopicState(TopicName topic, Level level, String episode, int change, Instant newest, String rulesVersion, List<TopicHit> hits) {

    public TopicState {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(newest, "newest");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
        hits = List.copyOf(hits);
    }

    static TopicState empty(TopicName topic, Instant at, String rulesVersion) {
        return new TopicState(topic, Level.NORMAL, null, 0, at, rulesVersion, List.of());
    }
}
