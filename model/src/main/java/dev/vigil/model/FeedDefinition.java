package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One feed in the catalogue: the value of the compacted topic {@code vigil.feeds}, keyed by
 * {@link #id()}. Every ingest instance reads the whole catalogue and polls the feeds Kafka assigns
 * it; {@code vigil feeds add|remove}, a feeds file given at start and the bundled list write it. A
 * removed feed is a tombstone (null value).
 *
 * <pre>{@code
 * {"schemaVersion":1,"id":"bbc-world","url":"https://feeds.bbci.co.uk/news/world/rss.xml","source":"BBC News",
 *  "language":"en","region":"gb","interval":"PT5M","minInterval":"PT1M","maxInterval":"PT1H",
 *  "origin":"cli","updated":"2026-11-28T09:00:00Z"}
 * }</pre>
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param id            the feed's name, used in logs, metrics and errors
 * @param url           the feed's absolute http(s) address
 * @param source        the outlet's display name, or {@code null} for the feed's own title
 * @param language      BCP 47 language tag ({@code en}, {@code es}), or {@code null}
 * @param region        where the outlet reports from or for: an ISO 3166 code ({@code gb}) or a
 *                      lower-case word ({@code world}, {@code latam}), or {@code null}
 * @param interval      time between polls to start with
 * @param minInterval   the shortest the interval adapts down to
 * @param maxInterval   the longest the interval adapts up to
 * @param origin        who wrote it: {@code cli}, {@code opml}, {@code bundled} or {@code file:NAME}
 * @param updated       when it was written
 */
public record FeedDefinition(int schemaVersion, FeedId id, URI url, String source, String language, String region,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) Duration minInterval,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) Duration maxInterval,
                             String origin, Instant updated) {

    public static final int SCHEMA_VERSION = 1;
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,8})*");
    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    public FeedDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        Objects.requireNonNull(updated, "updated");
        if (!HttpUrl.is(url)) {
            throw new IllegalArgumentException("url: expected an absolute http(s) URL, found '" + url + "'");
        }
        source = blankToNull(source);
        language = language(language);
        region = region(region);
        new PollIntervals(interval, minInterval, maxInterval).problem().ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        origin = Objects.requireNonNullElse(blankToNull(origin), "unknown");
    }

    /** The same feed as written by someone else at another time; equal by {@link #sameFeed}. */
    public FeedDefinition writtenBy(String origin, Instant updated) {
        return new FeedDefinition(schemaVersion, id, url, source, language, region, interval, minInterval, maxInterval, origin, updated);
    }

    /** True when both describe the same polling (id, URL, names and intervals), whoever wrote them and when. */
    public boolean sameFeed(FeedDefinition other) {
        return other != null && id.equals(other.id) && url.equals(other.url) && Objects.equals(source, other.source)
                && Objects.equals(language, other.language) && Objects.equals(region, other.region) && interval.equals(other.interval)
                && minInterval.equals(other.minInterval) && maxInterval.equals(other.maxInterval);
    }

    /**
     * A language tag, lower-cased ({@code en-GB} and {@code en-gb} are one language); {@code null}
     * for none; {@link IllegalArgumentException} when it is not a tag.
     */
    public static String language(String tag) {
        String t = blankToNull(tag);
        if (t == null) {
            return null;
        }
        t = t.toLowerCase(Locale.ROOT);
        if (!LANGUAGE.matcher(t).matches()) {
            throw new IllegalArgumentException("language: expected a language tag such as en, es or pt-br, found '" + tag + "'");
        }
        return t;
    }

    /** A region, lower-cased; {@code null} for none; {@link IllegalArgumentException} when it is not one. */
    public static String region(String region) {
        String r = blankToNull(region);
        if (r == null) {
            return null;
        }
        r = r.toLowerCase(Locale.ROOT);
        if (!REGION.matcher(r).matches()) {
            throw new IllegalArgumentException("region: expected a country code or a word such as gb, world or latam, found '" + region + "'");
        }
        return r;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
