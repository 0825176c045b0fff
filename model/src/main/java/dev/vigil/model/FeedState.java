package dev.vigil.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What ingest remembers about one feed between polls and across restarts: the value of the
 * compacted topic {@code vigil.ingest.state}, keyed by feed. The instance that owns a feed's
 * partition reads it back when the partition is assigned to it, so a restart or a move to
 * another instance re-emits nothing already published. It doubles as the feed's health record.
 *
 * @param schemaVersion       version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param feed                the feed
 * @param url                 the feed's URL these validators belong to (a changed URL drops them)
 * @param etag                the last ETag, for If-None-Match; {@code null} when none
 * @param lastModified        the last Last-Modified, for If-Modified-Since; {@code null} when none
 * @param seen                identity keys of items already published or passed over (16 hex
 *                            digits each, oldest first, bounded)
 * @param intervalMillis      the current (adapted) time between polls
 * @param nextPoll            when the feed is due next (backoff and server hints included)
 * @param lastAttempt         the last poll, {@code null} before the first
 * @param lastSuccess         the last poll that got an answer (200 or 304), {@code null} if none
 * @param consecutiveFailures failed polls since the last success
 * @param polls               polls so far
 * @param notModified         polls answered 304 Not Modified so far
 * @param lastError           the last failure, for people; {@code null} when none
 * @param failureReason       why the last poll failed, as data; {@code null} when it did not. Records
 *                            written before this field existed are read with the reason their
 *                            {@code lastError} text names ("fetch_feed unreachable: …")
 */
public record FeedState(int schemaVersion, FeedId feed, String url, String etag, String lastModified, List<String> seen,
                        long intervalMillis, Instant nextPoll, Instant lastAttempt, Instant lastSuccess,
                        int consecutiveFailures, long polls, long notModified, String lastError,
                        IngestError.Reason failureReason) {

    public static final int SCHEMA_VERSION = 1;

    public FeedState {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(nextPoll, "nextPoll");
        seen = seen == null ? List.of() : List.copyOf(seen);
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis: expected at least 1, found " + intervalMillis);
        }
        if (consecutiveFailures < 0 || polls < 0 || notModified < 0) {
            throw new IllegalArgumentException("counters: expected none negative");
        }
        if (failureReason == null && consecutiveFailures > 0) {
            failureReason = legacyReason(lastError);
        }
    }

    /** The reason word of an old record's "fetch_feed unreachable: cannot resolve …", if it names one. */
    private static IngestError.Reason legacyReason(String lastError) {
        if (lastError == null) {
            return null;
        }
        int colon = lastError.indexOf(':');
        String head = colon < 0 ? lastError : lastError.substring(0, colon);
        String word = head.substring(head.lastIndexOf(' ') + 1);
        for (IngestError.Reason r : IngestError.Reason.values()) {
            if (r.wireName().equals(word)) {
                return r;
            }
        }
        return null;
    }

    /** This feed's health (ok, pending, slowed, failing). */
    public FeedHealth health() {
        return FeedHealth.of(this);
    }

    /** Share of polls answered 304, 0 before the first poll. */
    public double notModifiedShare() {
        return polls == 0 ? 0 : (double) notModified / polls;
    }
}
