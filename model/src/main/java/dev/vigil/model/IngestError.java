package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Something ingest could not do, with what and where: the value of {@code vigil.ingest.errors},
 * keyed by feed. Nothing is skipped silently: every failed poll, parse, fetch or extraction lands
 * here and in the {@code vigil.ingest.*} meters.
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param feed          the feed concerned
 * @param url           the feed or page URL that failed
 * @param stage         what ingest was doing
 * @param reason        why it failed, bounded (usable as a metric tag)
 * @param message       the detail, for people
 * @param at            when
 */
public record IngestError(int schemaVersion, FeedId feed, String url, Stage stage, Reason reason, String message, Instant at) {

    public static final int SCHEMA_VERSION = 1;

    public IngestError {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        url = Objects.requireNonNullElse(url, "");
        message = Objects.requireNonNullElse(message, "");
    }

    /** What ingest was doing when it failed. */
    public enum Stage {
        FETCH_FEED, PARSE_FEED, FETCH_PAGE, EXTRACT_PAGE, PUBLISH;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Why, in a bounded set of words. {@code REFUSED}: the egress guard would not connect (a
     * private, loopback or metadata address, a scheme other than http(s), an https to http
     * redirect); {@code REDIRECTS}: more than the allowed redirects, or a loop;
     * {@code RATE_LIMITED}: the server answered 429 or 503 (its Retry-After is honoured);
     * {@code ROBOTS}: robots.txt disallows the page. At stage {@code EXTRACT_PAGE} (the feed's
     * summary stands in): {@code UNSUPPORTED}, the page is no web page (a PDF, an image, binary
     * bytes, a content type that is not HTML, XML or text); {@code NO_ARTICLE}, it has no running
     * text (navigation, a gallery, a shell filled in by scripts); {@code TOO_SHORT}, less text
     * than an article (a paywall stub, a teaser). At stage {@code PUBLISH}, {@code TOO_LARGE}
     * and {@code MALFORMED} are permanent errors of one article (over
     * {@link Topic#MAX_RECORD_BYTES}, unserialisable: skipped, never retried) and
     * {@code UNREACHABLE} a transient one (Kafka unavailable: the poll is retried).
     */
    public enum Reason {
        UNREACHABLE, TIMEOUT, HTTP_STATUS, TOO_LARGE, MALFORMED, UNSUPPORTED, EMPTY, REFUSED,
        REDIRECTS, RATE_LIMITED, ROBOTS, NO_ARTICLE, TOO_SHORT;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
