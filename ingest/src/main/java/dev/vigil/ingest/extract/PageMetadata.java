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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        // one walk over the page collects every candidate; a selector per field would walk it twenty times
        Map<String, String> metas = new HashMap<>();
        Element h1 = null;
        Element datePublished = null;
        Element time = null;
        Element relAuthor = null;
        Element itempropAuthor = null;
        Element canonicalLink = null;
        List<Element> ldScripts = new ArrayList<>();
        for (Element e : doc.getAllElements()) {
            switch (e.normalName()) {
                case "meta" -> {
                    if (e.hasAttr("content")) {
                        for (String key : new String[] {e.attr("property"), e.attr("name"), e.attr("itemprop"), e.attr("http-equiv")}) {
                            if (!key.isEmpty()) {
                                metas.putIfAbsent(key.toLowerCase(Locale.ROOT), e.attr("content").strip());
                            }
                        }
                    }
                }
                case "h1" -> h1 = h1 == null ? e : h1;
                case "time" -> time = time == null && e.hasAttr("datetime") ? e : time;
                case "link" -> canonicalLink = canonicalLink == null && e.attr("rel").equalsIgnoreCase("canonical") ? e : canonicalLink;
                case "script" -> {
                    if (e.attr("type").equalsIgnoreCase("application/ld+json")) {
                        ldScripts.add(e);
                    }
                }
                default -> { }
            }
            String itemprop = e.attr("itemprop");
            if (datePublished == null && itemprop.equals("datePublished")) {
                datePublished = e;
            }
            if (itempropAuthor == null && itemprop.equals("author")) {
                itempropAuthor = e;
            }
            if (relAuthor == null && e.attr("rel").equals("author")) {
                relAuthor = e;
            }
        }
        JsonNode ld = jsonLdArticle(ldScripts).orElse(null);
        String title = first(ld == null ? "" : text(ld.path("headline")), meta(metas, "og:title"), meta(metas, "twitter:title"),
                h1 == null ? "" : h1.text(), doc.title());
        Optional<Instant> published = Optional.empty();
        List<String> dates = new ArrayList<>();
        if (ld != null) {
            dates.add(text(ld.path("datePublished")));
            dates.add(text(ld.path("dateCreated")));
        }
        dates.add(meta(metas, "article:published_time"));
        dates.add(meta(metas, "og:published_time"));
        dates.add(meta(metas, "datePublished"));
        dates.add(meta(metas, "pubdate"));
        dates.add(meta(metas, "publishdate"));
        dates.add(meta(metas, "date"));
        dates.add(meta(metas, "dc.date"));
        dates.add(meta(metas, "DC.date.issued"));
        dates.add(attr(datePublished, "content"));
        dates.add(attr(datePublished, "datetime"));
        dates.add(attr(time, "datetime"));
        if (ld != null) {
            dates.add(text(ld.path("dateModified")));
        }
        for (String d : dates) {
            published = instant(d);
            if (published.isPresent()) {
                break;
            }
        }
        Element html = doc.root().firstElementChild();
        String lang = first(ld == null ? "" : text(ld.path("inLanguage")), html == null ? "" : html.attr("lang"),
                meta(metas, "og:locale"), meta(metas, "content-language"), meta(metas, "content-language"));
        Optional<String> language = lang.isBlank() ? Optional.empty()
                : Optional.of(lang.strip().replace('_', '-').toLowerCase(Locale.ROOT).split("[,;\\s]")[0]);
        String author = first(ld == null ? "" : author(ld.path("author")), meta(metas, "author"), meta(metas, "article:author"),
                meta(metas, "byl"), attr(relAuthor, "text"), attr(itempropAuthor == null ? null : itempropAuthor.selectFirst("[itemprop=name]"), "text"));
        String canonical = first(attr(canonicalLink, "abs:href"), meta(metas, "og:url"));
        String body = ld == null ? "" : text(ld.path("articleBody"));
        return new PageMetadata(title, published, language, nonEmpty(author.replaceFirst("(?i)^by\\s+", "")), nonEmpty(canonical), nonEmpty(body));
    }

    private static Optional<JsonNode> jsonLdArticle(List<Element> scripts) {
        for (Element script : scripts) {
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

    private static String meta(Map<String, String> metas, String name) {
        return metas.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }

    private static String attr(Element e, String attr) {
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
