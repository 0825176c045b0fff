package dev.vigil.ingest;

import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.LogText;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.kafka.TopicReader;
import dev.vigil.model.kafka.TopicReader.Change;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every feed's saved state as {@code vigil.ingest.state} holds it, read in full: the health
 * {@code vigil feeds list} shows (last success, failures in a row, next poll, 304 share). A feed
 * answered 304 writes its state at most every ten minutes, so counters may lag by that much.
 */
public final class FeedStates {

    private static final Logger log = LoggerFactory.getLogger(FeedStates.class);

    private FeedStates() {
    }

    public static Map<FeedId, FeedState> read(KafkaConnection kafka, Duration timeout) {
        Map<FeedId, FeedState> out = new HashMap<>();
        try (TopicReader<Change<FeedId, FeedState>> reader = TopicReader.changes(kafka, kafka.topic(Topics.INGEST_STATE), "vigil-feed-states",
                TopicReader.Start.beginning(), timeout,
                why -> log.warn("feeds: skipping an unreadable feed state {}", LogText.of(why)))) {
            for (var change : reader.readToEnd(timeout)) {
                if (change.isTombstone()) {
                    out.remove(change.key());
                } else {
                    out.put(change.key(), change.value());
                }
            }
        }
        return out;
    }
}
