package dev.vigil.ingest.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.model.IngestError.Reason;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * JSON Feed 1.0 and 1.1 (jsonfeed.org), read with Jackson's tree model: Rome has no JSON Feed
 * support. Unknown keys are ignored, as the spec asks; an {@code id} given as a number (common
 * in 1.0 feeds) is read as its text; 1.1's {@code authors} is preferred over 1.0's
 * {@code author}.
 */
final class JsonFeedReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final DateRule dates;

    JsonFeedReader(DateRule dates) {
        this.dates = dates;
    }

    ParsedFeed read(Decoded decoded, Optional<URI> base) throws FeedParseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(decoded.text());
        } catch (JsonProcessingException e) {
            throw new FeedParseException(Reason.MALFORMED, "not valid JSON: " + FeedParser.firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()), e);
        }
        if (root == null || !root.isObject()) {
            throw new FeedParseException(Reason.UNSUPPORTED, "JSON but not a JSON Feed: the top level is not an object", null);
        }
        JsonNode versionNode = root.path("version");
        String version = versionNode.isTextual() ? versionNode.asText().strip() : "";
        List<String> notes = new ArrayList<>(decoded.notes());
        String format;
        if (version.matches("https?://jsonfeed\\.org/version/1/?")) {
            format = "json_1.0";
        } else if (version.matches("https?://jsonfeed\\.org/version/1\\.1/?")) {
            format = "json_1.1";
        } else if (looksLikeJsonFeed(root) && (versionNode.isMissingNode() || version.isEmpty() || version.contains("jsonfeed.org"))) {
            // JSON Feed readers are lenient about a missing or odd version where the rest reads as a JSON Feed
            format = "json_1.1";
            notes.add(versionNode.isMissingNode() ? "no JSON Feed \"version\"; read as 1.1" : "JSON Feed version '" + version + "' unknown; read as 1.1");
        } else {
            throw new FeedParseException(Reason.UNSUPPORTED, versionNode.isMissingNode()
                    ? "JSON but not a JSON Feed: no \"version\" and no JSON Feed keys"
                    : "JSON but not a JSON Feed: version '" + abbreviate(versionNode.toString()) + "' is not a jsonfeed.org version", null);
        }
        JsonNode itemsNode = root.path("items");
        if (!itemsNode.isMissingNode() && !itemsNode.isArray()) {
            throw new FeedParseException(Reason.MALFORMED, "JSON Feed \"items\" is not an array", null);
        }
        Optional<URI> feedBase = text(root, "feed_url").flatMap(JsonFeedReader::uri).or(() -> base);
        List<FeedItem> items = new ArrayList<>();
        for (JsonNode item : itemsNode) {
            if (item.isObject()) {
                items.add(item(item, base.or(() -> feedBase)));
            }
        }
        Optional<String> link = text(root, "home_page_url").map(l -> FeedParser.resolve(base, l));
        Optional<String> language = text(root, "language");
        return new ParsedFeed(format, FeedParser.text(root.path("title").asText("")), link, language, Optional.empty(), items, notes);
    }

    /** JSON Feed's own top-level keys; gofeed's and others' outputs share "items" and "title" but not these. */
    private static boolean looksLikeJsonFeed(JsonNode root) {
        return root.has("home_page_url") || root.has("feed_url") || root.has("user_comment") || root.has("next_url")
                || root.has("favicon") || root.has("expired") || root.has("hubs")
                || root.path("items").isArray() && root.path("items").size() > 0 && root.path("items").get(0).has("content_html")
                || root.has("author") && root.path("author").has("avatar") || root.has("authors");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private FeedItem item(JsonNode item, Optional<URI> base) {
        JsonNode idNode = item.path("id");
        Optional<String> guid = idNode.isTextual() || idNode.isNumber() ? Optional.of(idNode.asText().strip()).filter(s -> !s.isEmpty()) : Optional.empty();
        Optional<String> link = text(item, "url").or(() -> text(item, "external_url")).map(l -> FeedParser.resolve(base, l));
        String title = FeedParser.text(item.path("title").asText(""));
        String summary = text(item, "summary").map(FeedParser::text)
                .or(() -> text(item, "content_text").map(FeedParser::text))
                .or(() -> text(item, "content_html").map(FeedParser::text)).orElse("");
        DateRule.Judged judged = dates.judge(date(item, "date_published"), date(item, "date_modified"));
        Optional<String> author = Optional.empty();
        for (JsonNode a : item.path("authors")) {
            author = text(a, "name");
            if (author.isPresent()) {
                break;
            }
        }
        if (author.isEmpty()) {
            author = text(item.path("author"), "name");
        }
        return new FeedItem(guid, link, title, summary, judged.published(), judged.verdict(), author);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? Optional.of(v.asText().strip()).filter(s -> !s.isEmpty()) : Optional.empty();
    }

    private static Optional<URI> uri(String s) {
        try {
            URI u = new URI(s);
            return u.isAbsolute() ? Optional.of(u) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** RFC 3339 as the spec says; RFC 1123 as some feeds write anyway; else no date. */
    private static Optional<Instant> date(JsonNode item, String field) {
        Optional<String> s = text(item, field);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        String v = s.get();
        try {
            return Optional.of(OffsetDateTime.parse(v.toUpperCase(Locale.ROOT).replace(' ', 'T')).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
