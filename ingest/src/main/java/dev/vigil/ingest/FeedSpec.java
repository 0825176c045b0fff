package dev.vigil.ingest;

import dev.vigil.model.FeedId;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One feed to poll, as the operator configured it.
 *
 * @param id          the feed's name, used in logs, metrics and errors
 * @param url         the feed's URL (RSS, Atom, RDF or JSON Feed)
 * @param source      the outlet's display name; the feed's own title when not configured
 * @param language    BCP 47 tag of the feed's language, or {@code null} to leave it to the page
 * @param interval    time between polls to start with
 * @param minInterval the shortest the interval adapts down to (a feed that publishes often)
 * @param maxInterval the longest the interval adapts up to (a quiet feed; server hints too)
 */
public record FeedSpec(FeedId id, URI url, String source, String language, Duration interval, Duration minInterval, Duration maxInterval) {

    public FeedSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        if (minInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("minInterval: expected at least 1s, found " + minInterval);
        }
        if (interval.compareTo(minInterval) < 0 || interval.compareTo(maxInterval) > 0) {
            throw new IllegalArgumentException("interval: expected between " + minInterval + " and " + maxInterval + ", found " + interval);
        }
    }

    /** A feed polled at a fixed interval (no adaptation). */
    public FeedSpec(FeedId id, URI url, String source, String language, Duration interval) {
        this(id, url, source, language, interval, interval, interval);
    }
}
