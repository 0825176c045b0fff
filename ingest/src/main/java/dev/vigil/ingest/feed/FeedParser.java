package dev.vigil.ingest.feed;

import com.rometools.opml.feed.opml.Opml;
import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.module.DCModule;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.impl.XmlFixerReader;
import dev.vigil.model.IngestError.Reason;
import java.io.StringReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.Namespace;
import org.jsoup.Jsoup;

/**
 * Reads RSS 0.9x/1.0/2.0, RDF and Atom 0.3/1.0 with Rome, and JSON Feed 1.0/1.1 with Jackson
 * ({@link JsonFeedReader}; Rome has none). Bytes are decoded by {@link Decoded}'s documented
 * order; links are resolved against {@code xml:base} and then the feed's own address; dates go
 * through the {@link DateRule}.
 *
 * <p>XML goes through {@link SecureXml}, so doctypes stay refused: no external entity is read
 * and no entity-expansion bomb is expanded. {@code SecureXmlTest} fails if that is ever turned
 * on. Thread-safe.
 */
public final class FeedParser {

    /** XML 1.0 forbids these characters outright; feeds carry them anyway (pasted from Word, mostly). */
    private static final Pattern INVALID_XML_CHARS = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final DateRule dates;
    private final JsonFeedReader json;

    public FeedParser(Clock clock) {
        this.dates = new DateRule(clock);
        this.json = new JsonFeedReader(dates);
    }

    /** The date rule every item goes through, for dates found elsewhere (article pages). */
    public DateRule dateRule() {
        return dates;
    }

    /**
     * @param body        the raw bytes
     * @param contentType the HTTP Content-Type, if any (its charset comes second in the decode order)
     * @param base        the feed's address, to resolve relative links; empty keeps them as written
     */
    public ParsedFeed parse(byte[] body, Optional<String> contentType, Optional<URI> base) throws FeedParseException {
        Objects.requireNonNull(body, "body");
        if (looksLikeJson(body)) {
            return json.read(Decoded.of(body, contentType, false), base);
        }
        Decoded decoded = Decoded.of(body, contentType, true);
        List<String> notes = new ArrayList<>(decoded.notes());
        String text = decoded.text();
        if (INVALID_XML_CHARS.matcher(text).find()) {
            text = INVALID_XML_CHARS.matcher(text).replaceAll("");
            notes.add("characters that XML forbids were removed");
        }
        if (text.isBlank()) {
            throw new FeedParseException(Reason.EMPTY, "empty document", null);
        }
        Document document;
        try {
            document = SecureXml.parse(new XmlFixerReader(new StringReader(text.stripLeading())));
        } catch (SecureXml.Unreadable e) {
            throw new FeedParseException(Reason.MALFORMED, e.getMessage(), e.getCause());
        }
        Element root = document.getRootElement();
        if (root.getName().equals("rss") && root.getChildren().stream().noneMatch(c -> c.getName().equals("channel"))) {
            root.addContent(new Element("channel", root.getNamespace()));    // an <rss> with nothing in it is an empty feed
        }
        List<Optional<URI>> itemBases = itemBases(document, base);
        WireFeed wire;
        try {
            wire = SecureXml.wireFeed(document);
        } catch (IllegalArgumentException e) {
            throw new FeedParseException(Reason.UNSUPPORTED, "well-formed XML but not a feed Rome knows (root element <"
                    + document.getRootElement().getName() + ">)", e);
        } catch (FeedException e) {
            throw new FeedParseException(Reason.MALFORMED, "not a valid feed: " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new FeedParseException(Reason.MALFORMED, "not a valid " + wire(document) + " feed (Rome failed on it: "
                    + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")", e);
        }
        if (wire instanceof Opml) {
            // rome-opml is on the class path for `vigil feeds import`, so Rome reads OPML too; it is a list of feeds, not one
            throw new FeedParseException(Reason.UNSUPPORTED, "an OPML subscription list, not a feed: `vigil feeds import FILE` adds its feeds", null);
        }
        SyndFeed feed = new SyndFeedImpl(wire, true);
        Optional<URI> feedBase = rootBase(document, base);
        List<FeedItem> items = new ArrayList<>();
        List<SyndEntry> entries = feed.getEntries();
        for (int i = 0; i < entries.size(); i++) {
            Optional<URI> itemBase = i < itemBases.size() && wire instanceof Channel ? itemBases.get(i) : feedBase;
            items.add(item(entries.get(i), itemBase.or(() -> base)));
        }
        Optional<Duration> ttl = wire instanceof Channel c && c.getTtl() > 0 ? Optional.of(Duration.ofMinutes(c.getTtl())) : Optional.empty();
        Optional<String> link = Optional.ofNullable(feed.getLink()).map(String::strip).filter(s -> !s.isEmpty()).map(l -> resolve(feedBase.or(() -> base), l));
        Optional<String> language = Optional.ofNullable(feed.getLanguage()).map(String::strip).filter(s -> !s.isEmpty());
        String title = text(feed.getTitle());
        if (title.isEmpty() && feed.getModule(DCModule.URI) instanceof DCModule dc && dc.getTitle() != null) {
            title = text(dc.getTitle());
        }
        return new ParsedFeed(feed.getFeedType(), title, link, language, ttl, items, notes);
    }

    /** Whether the bytes start (after a UTF-8 mark and whitespace) with '{': JSON Feed. */
    static boolean looksLikeJson(byte[] b) {
        int i = b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf ? 3 : 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i < b.length && b[i] == '{';
    }

    private FeedItem item(SyndEntry entry, Optional<URI> base) {
        Optional<String> link = Optional.ofNullable(entry.getLink()).map(String::strip).filter(s -> !s.isEmpty())
                .map(l -> resolve(base, l));
        Object wire = entry.getWireEntry();
        Optional<String> guid;
        if (wire instanceof Item item) {
            guid = Optional.ofNullable(item.getGuid()).map(g -> g.getValue());
            if (link.isEmpty() && item.getGuid() != null && item.getGuid().isPermaLink() && guid.isPresent()) {
                link = Optional.of(resolve(base, guid.get().strip()));   // RSS: a permalink GUID is the item's link
            }
        } else if (wire instanceof Entry atom) {
            guid = Optional.ofNullable(atom.getId());
        } else {
            guid = Optional.ofNullable(entry.getUri());
        }
        guid = guid.map(String::strip).filter(s -> !s.isEmpty());
        String summary = "";
        if (entry.getDescription() != null) {
            summary = text(entry.getDescription().getValue());
        }
        if (summary.isEmpty() && !entry.getContents().isEmpty()) {
            SyndContent content = entry.getContents().get(0);
            summary = text(content.getValue());
        }
        DateRule.Judged judged = dates.judge(instant(entry.getPublishedDate()), instant(entry.getUpdatedDate()));
        Optional<String> author = Optional.ofNullable(entry.getAuthor()).map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> entry.getAuthors().stream().map(SyndPerson::getName).filter(Objects::nonNull).map(String::strip)
                        .filter(s -> !s.isEmpty()).findFirst());
        String title = text(entry.getTitle());
        if (title.isEmpty() && entry.getModule(DCModule.URI) instanceof DCModule dc && dc.getTitle() != null) {
            title = text(dc.getTitle());
        }
        return new FeedItem(guid, link, title, summary, judged.published(), judged.verdict(), author);
    }

    private static Optional<Instant> instant(Date d) {
        return Optional.ofNullable(d).map(Date::toInstant);
    }

    /**
     * The {@code xml:base} in force on each RSS item (RSS 2.0 items, RDF items), resolved
     * against the enclosing elements' bases and the feed's address. Rome applies xml:base to Atom
     * itself, so Atom entries use the feed's base here.
     */
    private static List<Optional<URI>> itemBases(Document document, Optional<URI> base) {
        List<Optional<URI>> out = new ArrayList<>();
        Element root = document.getRootElement();
        Optional<URI> rootBase = withBase(root, base);
        List<Element> items = new ArrayList<>();
        for (Element child : root.getChildren()) {
            if (child.getName().equals("channel")) {
                Optional<URI> channelBase = withBase(child, rootBase);
                for (Element item : child.getChildren()) {
                    if (item.getName().equals("item")) {
                        out.add(withBase(item, channelBase).flatMap(b -> withBase(item.getChild("link", item.getNamespace()), Optional.of(b))));
                        items.add(item);
                    }
                }
            }
        }
        if (items.isEmpty()) {
            // RDF and RSS 0.90 put items beside the channel
            for (Element item : root.getChildren()) {
                if (item.getName().equals("item")) {
                    out.add(withBase(item, rootBase));
                }
            }
        }
        return out;
    }

    private static Optional<URI> rootBase(Document document, Optional<URI> base) {
        return withBase(document.getRootElement(), base);
    }

    private static Optional<URI> withBase(Element e, Optional<URI> outer) {
        if (e == null) {
            return outer;
        }
        String b = e.getAttributeValue("base", Namespace.XML_NAMESPACE);
        if (b == null || b.isBlank()) {
            return outer;
        }
        try {
            URI declared = new URI(b.strip());
            return Optional.of(outer.map(o -> o.resolve(declared)).orElse(declared));
        } catch (java.net.URISyntaxException | IllegalArgumentException ex) {
            return outer;
        }
    }

    private static String wire(Document document) {
        Element root = document.getRootElement();
        return "<" + root.getName() + ">";
    }

    /** Resolves a link against a base; a link that is not a URI is kept as written. */
    static String resolve(Optional<URI> base, String link) {
        if (base.isEmpty()) {
            return link;
        }
        try {
            URI uri = new URI(link);
            if (uri.isAbsolute()) {
                return link;
            }
            URI b = base.get();
            if (b.isOpaque()) {
                return link;
            }
            return b.resolve(uri).toString();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return link;
        }
    }

    /** Feed text may carry HTML; people and rules read it as text. */
    static String text(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        String t = html.indexOf('<') < 0 && html.indexOf('&') < 0 ? html : Jsoup.parse(html).text();
        return WHITESPACE.matcher(t).replaceAll(" ").strip();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
