package dev.vigil.streams.scoring;

import dev.vigil.model.JsonSerde;
import dev.vigil.model.Level;
import dev.vigil.model.Topic;
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
 * @param pending      a higher level waiting out the minimum duration; {@code null} when none
 * @param stories      stories still inside the window
 * @param dropped      stories shed to keep this state under the record limit in the open episode
 *                     (or since the topic was last normal), so the shedding is logged once per episode
 */
public record TopicState(TopicName topic, Level level, String episode, int change, Instant newest, String rulesVersion,
        Pending pending, List<Story> stories, int dropped) {

    /** The serde of the {@code topic-state} store, whose changelog records it must fit in. */
    public static final JsonSerde<TopicState> SERDE = new JsonSerde<>(TopicState.class);

    /**
     * The most a state may weigh serialised: {@link Topic#MAX_RECORD_BYTES} less room for the key
     * (a topic name), the record's headers and an episode id opened after the state was measured.
     */
    static final int MAX_BYTES = Topic.MAX_RECORD_BYTES - 16_384;

    public TopicState {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(newest, "newest");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
        stories = List.copyOf(stories);
    }

    /** A level the score has reached, since when (event time). */
    public record Pending(Level level, Instant since) {
        public Pending {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(since, "since");
        }
    }

    static TopicState empty(TopicName topic, Instant at, String rulesVersion) {
        return new TopicState(topic, Level.NORMAL, null, 0, at, rulesVersion, null, List.of(), 0);
    }

    /** The size of this state in its store's changelog record. */
    int serialisedSize() {
        return SERDE.toBytes(this).length;
    }
}
