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
        String canonicalUrl) {

    public static final int SCHEMA_VERSION = 1;

    public Article {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(fetched, "fetched");
        Objects.requireNonNull(textOrigin, "textOrigin");
        source = Objects.requireNonNullElse(source, "");
        url = Objects.requireNonNullElse(url, "");
        title = Objects.requireNonNullElse(title, "");
        text = Objects.requireNonNullElse(text, "");
    }

    /** An article without byline or canonical URL (the shape before those fields existed). */
    public Article(int schemaVersion, ArticleId id, FeedId feed, String source, String url, String title, String text,
                   TextOrigin textOrigin, Instant published, Instant fetched, String language) {
        this(schemaVersion, id, feed, source, url, title, text, textOrigin, published, fetched, language, null, null);
    }

    /** Where an article's body text came from. */
    public enum TextOrigin {
        /** Extracted from the article page. */
        EXTRACTED,
        /** The page could not be fetched or extracted; the feed item's summary stands in. */
        FEED_SUMMARY
    }
}
