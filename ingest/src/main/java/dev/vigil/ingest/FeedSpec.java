package dev.vigil.ingest;

import dev.vigil.model.FeedId;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One feed to poll, as the operator configured it.
 *
 * @param id       the feed's name, used in logs, metrics and errors
 * @param url      the feed's URL (RSS, Atom or RDF)
 * @param source   the outlet's display name; the feed's own title when not configured
 * @param language BCP 47 tag of the feed's language, or {@code null} to leave it to the page
 * @param interval time between polls
 */
public record FeedSpec(FeedId id, URI url, String source, String language, Duration interval) {

    public FeedSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("interval: expected at least 1s, found " + interval);
        }
    }
}
