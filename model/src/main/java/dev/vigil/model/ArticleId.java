package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Identity of one article, the key of {@code vigil.articles}.
 *
 * <p>The one rule, kept here and nowhere else: the id is a hash of the article's
 * {@linkplain CanonicalUrl canonical URL}; without a usable link, of the feed item's GUID; without
 * either, of its title and published date. Two feeds that link the same story (one with
 * {@code ?utm_source=rss}, one without) therefore yield the same id.
 *
 * <pre>{@code
 * ArticleId id = ArticleId.of(Optional.of("https://News.example/a?utm_source=x#top"), Optional.empty(), "Title", null);
 * }</pre>
 */
public record ArticleId(@JsonValue String value) {

    public ArticleId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("value: expected a non-blank article id");
        }
    }

    @JsonCreator
    public static ArticleId of(String value) {
        return new ArticleId(value);
    }

    /** Applies the identity rule described on the type. */
    public static ArticleId of(Optional<String> link, Optional<String> guid, String title, Instant published) {
        Optional<String> canonical = link.flatMap(CanonicalUrl::of);
        if (canonical.isPresent()) {
            return new ArticleId("u-" + hash(canonical.get()));
        }
        Optional<String> cleanGuid = guid.map(String::strip).filter(g -> !g.isEmpty());
        if (cleanGuid.isPresent()) {
            return new ArticleId("g-" + hash(cleanGuid.get()));
        }
        String when = published == null ? "" : published.toString();
        return new ArticleId("t-" + hash(Objects.requireNonNullElse(title, "").strip() + "\n" + when));
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            // 128 bits: collision-free for any realistic corpus, and short enough to read in a log.
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
