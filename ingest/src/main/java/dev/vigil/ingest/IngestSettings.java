package dev.vigil.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the ingest service needs to run, parsed once by the caller.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param feeds            the feeds to poll
 * @param threads          polls that may run at once
 * @param fetchTimeout     connect and response timeout of every fetch
 * @param maxFeedBytes     largest feed body accepted
 * @param maxPageBytes     largest page body accepted
 */
public record IngestSettings(String bootstrapServers, List<FeedSpec> feeds, int threads, Duration fetchTimeout, long maxFeedBytes, long maxPageBytes) {

    public IngestSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(fetchTimeout, "fetchTimeout");
        feeds = List.copyOf(feeds);
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
        }
    }

    public static IngestSettings of(String bootstrapServers, List<FeedSpec> feeds) {
        return new IngestSettings(bootstrapServers, feeds, 4, Duration.ofSeconds(20), 10L << 20, 5L << 20);
    }
}
