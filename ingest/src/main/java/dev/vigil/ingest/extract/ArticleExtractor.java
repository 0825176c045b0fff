package dev.vigil.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * Extracts readable article text from a news page with Jsoup: drop what is never article text
 * (scripts, navigation, asides, forms), pick the container that holds the article, and keep its
 * paragraphs. Metadata comes from OpenGraph and article meta tags where present.
 */
public final class ArticleExtractor {

    /** Less text than this is not an article body (a paywall stub, a gallery, an error page). */
    static final int MIN_TEXT_CHARS = 200;

    private static final String NEVER_TEXT = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, "
            + "button, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]";

    /** What a page yielded. */
    public record Extracted(String title, String text, Optional<Instant> published, Optional<String> language) {
    }

    /** Extracts from HTML; throws {@link ExtractionException} when no body text is found. */
    public Extracted extract(String html, String baseUri) throws ExtractionException {
        Document doc = Jsoup.parse(html, baseUri);
        String title = firstNonEmpty(meta(doc, "og:title"), doc.select("h1").text(), doc.title());
        Optional<Instant> published = published(doc);
        String lang = doc.selectFirst("html") == null ? "" : doc.selectFirst("html").attr("lang");
        Optional<String> language = lang.isBlank() ? Optional.empty() : Optional.of(lang.strip().toLowerCase(Locale.ROOT));

        doc.select(NEVER_TEXT).remove();
        Element container = container(doc);
        List<String> paragraphs = new ArrayList<>();
        for (Element p : container.select("p, h2, h3, li, blockquote")) {
            if (!p.parents().is("p, li, blockquote")) {
                String text = p.text().strip();
                if (!text.isEmpty()) {
                    paragraphs.add(text);
                }
            }
        }
        String text = String.join("\n\n", paragraphs);
        if (text.length() < MIN_TEXT_CHARS) {
            throw new ExtractionException("no article text found (" + text.length() + " characters of paragraph text)");
        }
        return new Extracted(title, text, published, language);
    }

    /** The element most likely to hold the article: a marked-up body, else the densest block of paragraphs. */
    private static Element container(Document doc) {
        for (String selector : List.of("[itemprop=articleBody]", "article", "main", "[role=main]")) {
            Elements found = doc.select(selector);
            if (!found.isEmpty()) {
                return best(found);
            }
        }
        Elements blocks = doc.select("div, section");
        return blocks.isEmpty() ? doc.body() : best(blocks);
    }

    private static Element best(Elements candidates) {
        Element best = candidates.first();
        int bestChars = -1;
        for (Element e : candidates) {
            int chars = 0;
            for (Element p : e.select("> p, > * > p")) {
                chars += p.text().length();
            }
            if (chars > bestChars) {
                best = e;
                bestChars = chars;
            }
        }
        return best;
    }

    private static Optional<Instant> published(Document doc) {
        for (String candidate : List.of(meta(doc, "article:published_time"), meta(doc, "og:published_time"),
                attr(doc, "time[datetime]", "datetime"), meta(doc, "date"))) {
            if (!candidate.isEmpty()) {
                try {
                    return Optional.of(OffsetDateTime.parse(candidate).toInstant());
                } catch (DateTimeParseException e) {
                    // not ISO-8601 with an offset: try the next source
                }
            }
        }
        return Optional.empty();
    }

    private static String meta(Document doc, String name) {
        Element e = doc.selectFirst("meta[property=" + name + "], meta[name=" + name + "]");
        return e == null ? "" : e.attr("content").strip();
    }

    private static String attr(Document doc, String selector, String attr) {
        Element e = doc.selectFirst(selector);
        return e == null ? "" : e.attr(attr).strip();
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return "";
    }

    /** A page that yielded no article text. */
    public static final class ExtractionException extends Exception {
        public ExtractionException(String message) {
            super(message);
        }
    }
}
