package dev.vigil.ingest.feed;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed feed.
 *
 * @param format   {@code rss_0.91U}, {@code rss_2.0}, {@code rss_1.0} (RDF), {@code atom_0.3},
 *                 {@code atom_1.0}, {@code json_1.0} or {@code json_1.1}
 * @param title    the feed's title, plain text
 * @param link     the site's address, if given
 * @param language the feed's language, if given
 * @param ttl      RSS {@code <ttl>}: minutes the feed asks to be cached, if given
 * @param items    items in document order
 * @param notes    what was tolerated (a lossy decode, an unknown charset): reported, not fatal
 */
public record ParsedFeed(String format, String title, Optional<String> link, Optional<String> language, Optional<Duration> ttl,
                         List<FeedItem> items, List<String> notes) {

    public ParsedFeed {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(ttl, "ttl");
        title = Objects.requireNonNullElse(title, "");
        items = List.copyOf(items);
        notes = List.copyOf(notes);
    }
}
