package dev.vigil.ingest;

import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.PollIntervals;
import java.net.URI;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One feed to poll, as the operator configured it.
 *
 * @param id          the feed's name, used in logs, metrics and errors
 * @param url         the feed's URL (RSS, Atom, RDF or JSON Feed)
 * @param source      the outlet's display name; the feed's own title when not configured
 * @param language    BCP 47 tag of the feed's language, or {@code null} to leave it to the page
 * @param region      where the outlet reports from or for ({@code gb}, {@code latam}), or {@code null}
 * @param interval    time between polls to start with
 * @param minInterval the shortest the interval adapts down to (a feed that publishes often)
 * @param maxInterval the longest the interval adapts up to (a quiet feed; server hints too)
 */
public record FeedSpec(FeedId id, URI url, String source, String language, String region, Duration interval, Duration minInterval,
                       Duration maxInterval) {

    public FeedSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        new PollIntervals(interval, minInterval, maxInterval).problem().ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /** A feed with no region. */
    public FeedSpec(FeedId id, URI url, String source, String language, Duration interval, Duration minInterval, Duration maxInterval) {
        this(id, url, source, language, null, interval, minInterval, maxInterval);
    }

    /** A feed polled at a fixed interval (no adaptation). */
    public FeedSpec(FeedId id, URI url, String source, String language, Duration interval) {
        this(id, url, source, language, null, interval, interval, interval);
    }

    /**
     * The id a feed gets when the operator names none: {@code name} as a slug ("BBC News - World"
     * becomes {@code bbc-news-world}), or without a name the URL's host and words of its path
     * ({@code https://www.theguardian.com/world/rss} becomes {@code theguardian-world}).
     */
    public static FeedId suggestId(String name, URI url) {
        String slug = slug(name == null ? "" : name);
        if (slug.isEmpty()) {
            String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT).replaceFirst("^(www|feeds?|rss|e\\d+)\\.", "");
            int dot = host.lastIndexOf('.');
            String site = host.replaceFirst("\\.(com?|org|net|gov|ac)?\\.?[a-z]{2,3}$", "");
            StringBuilder words = new StringBuilder(dot < 0 ? host : site);
            for (String part : (url.getPath() == null ? "" : url.getPath()).split("/")) {
                String w = slug(part.replaceFirst("\\.(xml|rss|rdf|atom|json)$", ""));
                if (!w.isEmpty() && !NOT_WORDS.contains(w)) {
                    words.append('-').append(w);
                }
            }
            slug = slug(words.toString());
        }
        if (slug.isEmpty()) {
            slug = "feed";
        }
        if (slug.length() > 48) {
            int cut = slug.lastIndexOf('-', 48);
            slug = slug.substring(0, cut > 8 ? cut : 48);
        }
        return new FeedId(slug);
    }

    private static final Set<String> NOT_WORDS = Set.of("rss", "feed", "feeds", "xml", "index", "rss2", "atom", "rdf", "all", "en", "es", "services",
            "outboundfeeds", "arc", "mrss-s", "pages", "site", "section", "portada", "subscribe", "webfeed");

    private static String slug(String text) {
        String plain = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        return plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    /** The feed a catalogue entry describes. */
    public static FeedSpec of(FeedDefinition d) {
        return new FeedSpec(d.id(), d.url(), d.source(), d.language(), d.region(), d.interval(), d.minInterval(), d.maxInterval());
    }

    /** This feed as a catalogue entry written by {@code origin} at {@code now}. */
    public FeedDefinition toDefinition(String origin, Instant now) {
        return new FeedDefinition(FeedDefinition.SCHEMA_VERSION, id, url, source, language, region, interval, minInterval, maxInterval, origin, now);
    }
}
