package dev.vigil.ingest.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A page's metadata, each field from the first source that has it: JSON-LD (schema.org
 * NewsArticle, Article, BlogPosting, ReportageNewsArticle…), then OpenGraph and article meta
 * tags, then plain HTML ({@code <h1>}, {@code <title>}, {@code <html lang>}, {@code <time>}).
 *
 * @param articleBody JSON-LD's articleBody, when the page gives one (a cross-check for the body)
 */
record PageMetadata(String title, Optional<Instant> published, Optional<String> language, Optional<String> author,
                    Optional<String> canonicalUrl, Optional<String> articleBody) {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final Set<String> ARTICLE_TYPES = Set.of("newsarticle", "article", "blogposting", "reportagenewsarticle",
            "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
            "techarticle", "liveblogposting", "webpage", "socialmediaposting", "report");

    static PageMetadata of(Document doc) {
        JsonNode ld = jsonLdArticle(doc).orElse(null);
        String title = first(ld == null ? "" : text(ld.path("headline")), meta(doc, "og:title"), meta(doc, "twitter:title"),
                doc.select("h1").isEmpty() ? "" : doc.select("h1").first().text(), doc.title());
        Optional<Instant> published = Optional.empty();
        List<String> dates = new ArrayList<>();
        if (ld != null) {
            dates.add(text(ld.path("datePublished")));
            dates.add(text(ld.path("dateCreated")));
        }
        dates.add(meta(doc, "article:published_time"));
        dates.add(meta(doc, "og:published_time"));
        dates.add(meta(doc, "datePublished"));
        dates.add(meta(doc, "pubdate"));
        dates.add(meta(doc, "publishdate"));
        dates.add(meta(doc, "date"));
        dates.add(meta(doc, "dc.date"));
        dates.add(meta(doc, "DC.date.issued"));
        dates.add(attr(doc, "[itemprop=datePublished]", "content"));
        dates.add(attr(doc, "[itemprop=datePublished]", "datetime"));
        dates.add(attr(doc, "time[datetime]", "datetime"));
        if (ld != null) {
            dates.add(text(ld.path("dateModified")));
        }
        for (String d : dates) {
            published = instant(d);
            if (published.isPresent()) {
                break;
            }
        }
        Element html = doc.selectFirst("html");
        String lang = first(ld == null ? "" : text(ld.path("inLanguage")), html == null ? "" : html.attr("lang"),
                meta(doc, "og:locale"), meta(doc, "content-language"), attr(doc, "meta[http-equiv=content-language]", "content"));
        Optional<String> language = lang.isBlank() ? Optional.empty()
                : Optional.of(lang.strip().replace('_', '-').toLowerCase(Locale.ROOT).split("[,;\\s]")[0]);
        String author = first(ld == null ? "" : author(ld.path("author")), meta(doc, "author"), meta(doc, "article:author"),
                meta(doc, "byl"), attr(doc, "[rel=author]", "text"), attr(doc, "[itemprop=author] [itemprop=name]", "text"));
        String canonical = first(attr(doc, "link[rel=canonical]", "abs:href"), meta(doc, "og:url"));
        String body = ld == null ? "" : text(ld.path("articleBody"));
        return new PageMetadata(title, published, language, nonEmpty(author.replaceFirst("(?i)^by\\s+", "")), nonEmpty(canonical), nonEmpty(body));
    }

    private static Optional<JsonNode> jsonLdArticle(Document doc) {
        for (Element script : doc.select("script[type=application/ld+json]")) {
            JsonNode node;
            try {
                node = MAPPER.readTree(script.data());
            } catch (JsonProcessingException e) {
                continue;   // broken JSON-LD is common; the meta tags still speak
            }
            Optional<JsonNode> found = findArticle(node, 0);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> findArticle(JsonNode node, int depth) {
        if (node == null || depth > 4) {
            return Optional.empty();
        }
        if (node.isArray()) {
            for (JsonNode n : node) {
                Optional<JsonNode> f = findArticle(n, depth + 1);
                if (f.isPresent()) {
                    return f;
                }
            }
            return Optional.empty();
        }
        if (!node.isObject()) {
            return Optional.empty();
        }
        JsonNode type = node.path("@type");
        List<String> types = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText("").toLowerCase(Locale.ROOT)));
        } else {
            types.add(type.asText("").toLowerCase(Locale.ROOT));
        }
        if (types.stream().anyMatch(t -> ARTICLE_TYPES.contains(t) && !t.equals("webpage")) && node.has("headline")) {
            return Optional.of(node);
        }
        Optional<JsonNode> inGraph = findArticle(node.get("@graph"), depth + 1);
        if (inGraph.isPresent()) {
            return inGraph;
        }
        return findArticle(node.get("mainEntity"), depth + 1);
    }

    private static String author(JsonNode a) {
        if (a.isArray()) {
            return a.isEmpty() ? "" : author(a.get(0));
        }
        if (a.isTextual()) {
            return a.asText().strip();
        }
        return text(a.path("name"));
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText().strip() : "";
    }

    static Optional<Instant> instant(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        String v = s.strip();
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            try {
                // an ISO date-time without an offset: read as UTC, the best guess a machine can make
                return Optional.of(LocalDateTime.parse(v.length() > 19 ? v.substring(0, 19) : v).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static String meta(Document doc, String name) {
        Element e = doc.selectFirst("meta[property=" + name + "], meta[name=" + name + "], meta[itemprop=" + name + "]");
        return e == null ? "" : e.attr("content").strip();
    }

    private static String attr(Document doc, String selector, String attr) {
        Element e = doc.selectFirst(selector);
        if (e == null) {
            return "";
        }
        return attr.equals("text") ? e.text().strip() : e.attr(attr).strip();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return "";
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }
}
