package dev.vigil.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One news article as ingest saw it: the value of {@code vigil.articles}, keyed by {@link #id()}.
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param id            identity per {@link ArticleId}'s rule
 * @param feed          the feed the article came from
 * @param source        the outlet's display name, e.g. "Caribbean Herald"
 * @param url           the article's link as published in the feed
 * @param title         headline
 * @param text          readable body text; the feed's summary when {@code textOrigin} says so
 * @param textOrigin    where {@code text} came from
 * @param published     publication time the feed or page claims; {@code null} when it gives none
 * @param fetched       when ingest fetched it
 * @param language      BCP 47 language tag when known ("en", "es"), else {@code null}
 * @param author        the byline when the page or feed gives one, else {@code null} (added in
 *                      schema 1 as an optional field: older readers ignore it)
 * @param canonicalUrl  the page's own canonical URL ({@code <link rel=canonical>}, og:url) when it
 *                      gives one, else {@code null}
 * @param truncated     a field was over its cap and was cut there ({@link #capped()}); evidence
 *                      offsets refer to the text as carried (added in schema 1 as an optional
 *                      field, false when absent)
 *
 * <p>Only {@link #SCHEMA_VERSION} is accepted: a record of another version is rejected
 * ({@link UnsupportedSchemaException}), so a reader never guesses at a shape it does not know.
 */
public record Article(
        int schemaVersion,
        ArticleId id,
        FeedId feed,
        String source,
        String url,
        String title,
        String text,
        TextOrigin textOrigin,
        Instant published,
        Instant fetched,
        String language,
        String author,
        String canonicalUrl,
        boolean truncated) {

    public static final int SCHEMA_VERSION = 1;
    /**
     * Most characters of body text an article carries; longer text is cut here. The longest real
     * news articles are a few tens of thousands of characters; the cap keeps every record that
     * carries an article (tagged, dead-lettered) well under {@link Topic#MAX_RECORD_BYTES}.
     */
    public static final int MAX_TEXT_CHARS = 100_000;
    /** Most characters of a title, and of a source's name; longer ones are cut here. */
    public static final int MAX_TITLE_CHARS = 1_000;
    /**
     * Most characters of the link; longer ones are cut here. The title, source and link travel
     * on into scoring state and alerts, so they are held short; the byline and canonical URL stay
     * in the tagged record, which Streams checks as a whole.
     */
    public static final int MAX_URL_CHARS = 8_192;

    public Article {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new UnsupportedSchemaException("schemaVersion: expected " + SCHEMA_VERSION + ", found " + schemaVersion);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(fetched, "fetched");
        Objects.requireNonNull(textOrigin, "textOrigin");
        source = Objects.requireNonNullElse(source, "");
        url = Objects.requireNonNullElse(url, "");
        title = Objects.requireNonNullElse(title, "");
        text = Objects.requireNonNullElse(text, "");
    }

    /** An article as written, not truncated. */
    public Article(int schemaVersion, ArticleId id, FeedId feed, String source, String url, String title, String text, TextOrigin textOrigin,
                   Instant published, Instant fetched, String language, String author, String canonicalUrl) {
        this(schemaVersion, id, feed, source, url, title, text, textOrigin, published, fetched, language, author, canonicalUrl, false);
    }

    /** An article without byline or canonical URL (the shape before those fields existed). */
    public Article(int schemaVersion, ArticleId id, FeedId feed, String source, String url, String title, String text,
                   TextOrigin textOrigin, Instant published, Instant fetched, String language) {
        this(schemaVersion, id, feed, source, url, title, text, textOrigin, published, fetched, language, null, null);
    }

    /**
     * This article with its title and source cut to {@link #MAX_TITLE_CHARS}, its text to
     * {@link #MAX_TEXT_CHARS} and its link to {@link #MAX_URL_CHARS} (never inside a surrogate
     * pair) and marked {@link #truncated()}; itself when all fit. Ingest publishes capped
     * articles, and Streams caps what it reads, so a record produced by someone else is held to
     * the same limits.
     */
    public Article capped() {
        if (title.length() <= MAX_TITLE_CHARS && source.length() <= MAX_TITLE_CHARS && text.length() <= MAX_TEXT_CHARS && url.length() <= MAX_URL_CHARS) {
            return this;
        }
        return new Article(schemaVersion, id, feed, cut(source, MAX_TITLE_CHARS), cut(url, MAX_URL_CHARS), cut(title, MAX_TITLE_CHARS),
                cut(text, MAX_TEXT_CHARS), textOrigin, published, fetched, language, author, canonicalUrl, true);
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    /** Where an article's body text came from. */
    public enum TextOrigin {
        /** Extracted from the article page. */
        EXTRACTED,
        /** The page could not be fetched or extracted; the feed item's summary stands in. */
        FEED_SUMMARY
    }
}
