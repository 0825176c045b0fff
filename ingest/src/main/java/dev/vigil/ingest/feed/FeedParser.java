package dev.vigil.ingest;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import dev.vigil.model.IngestError.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;

/**
 * Parses RSS, Atom and RDF feeds with Rome. Doctypes stay refused (Rome's default), so no
 * external entity or entity-expansion bomb is ever resolved.
 */
public final class FeedParser {

    /** A parsed feed: its title, format and items in document order. */
    public record ParsedFeed(String title, String format, List<FeedItem> items) {
        public ParsedFeed {
            items = List.copyOf(items);
        }
    }

    /**
     * One feed item.
     *
     * @param guid      the item's GUID or Atom id, if any
     * @param link      absolute link to the article page, if any
     * @param title     headline, plain text
     * @param summary   description or content, as plain text
     * @param published published (else updated) date, if any
     */
    public record FeedItem(Optional<String> guid, Optional<String> link, String title, String summary, Optional<Instant> published) {
    }

    /**
     * @param body        the raw bytes; the charset is detected from the BOM, the content type and the XML prolog
     * @param contentType the HTTP Content-Type, if any
     * @param base        the feed's URL, to resolve relative links
     */
    public ParsedFeed parse(byte[] body, Optional<String> contentType, URI base) throws FetchException {
        SyndFeed feed;
        try (XmlReader reader = new XmlReader(new ByteArrayInputStream(body), contentType.orElse(null), true)) {
            SyndFeedInput input = new SyndFeedInput();
            input.setAllowDoctypes(false);
            feed = input.build(reader);
        } catch (FeedException | IllegalArgumentException e) {
            throw new FetchException(Reason.MALFORMED, "not a feed: " + firstLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new FetchException(Reason.MALFORMED, "cannot decode: " + firstLine(e.getMessage()), e);
        }
        List<FeedItem> items = new ArrayList<>();
        for (SyndEntry entry : feed.getEntries()) {
            items.add(item(entry, base));
        }
        return new ParsedFeed(text(feed.getTitle()), feed.getFeedType(), items);
    }

    private static FeedItem item(SyndEntry entry, URI base) {
        Optional<String> link = Optional.ofNullable(entry.getLink()).map(String::strip).filter(s -> !s.isEmpty())
                .flatMap(l -> resolve(base, l));
        Optional<String> guid = Optional.ofNullable(entry.getUri()).map(String::strip).filter(s -> !s.isEmpty());
        String summary = "";
        if (entry.getDescription() != null) {
            summary = text(entry.getDescription().getValue());
        }
        if (summary.isEmpty() && !entry.getContents().isEmpty()) {
            SyndContent content = entry.getContents().get(0);
            summary = text(content.getValue());
        }
        Date date = entry.getPublishedDate() != null ? entry.getPublishedDate() : entry.getUpdatedDate();
        return new FeedItem(guid, link, text(entry.getTitle()), summary, Optional.ofNullable(date).map(Date::toInstant));
    }

    private static Optional<String> resolve(URI base, String link) {
        try {
            return Optional.of(base.resolve(link).toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Feed text may carry HTML; people and rules read it as text. */
    private static String text(String html) {
        return html == null ? "" : Jsoup.parse(html).text().strip();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
