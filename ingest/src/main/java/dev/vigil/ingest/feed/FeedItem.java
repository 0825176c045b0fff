package dev.vigil.ingest.feed;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One feed item, whatever the format.
 *
 * @param guid        the item's GUID (RSS), id (Atom, JSON Feed), if any
 * @param link        link to the article page, absolute when the feed's address was known
 * @param title       headline, plain text
 * @param summary     description or content, as plain text
 * @param published   published (else updated) time, as kept by the {@link DateRule}
 * @param dateVerdict what the date rule made of the item's date
 * @param author      the first author's name, if any
 */
public record FeedItem(Optional<String> guid, Optional<String> link, String title, String summary, Optional<Instant> published,
                       DateRule.Verdict dateVerdict, Optional<String> author) {

    public FeedItem {
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(published, "published");
        Objects.requireNonNull(dateVerdict, "dateVerdict");
        Objects.requireNonNull(author, "author");
        title = Objects.requireNonNullElse(title, "");
        summary = Objects.requireNonNullElse(summary, "");
    }
}
