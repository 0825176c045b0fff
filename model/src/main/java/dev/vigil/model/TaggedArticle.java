package dev.vigil.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An article with what the rules found in it: the value of {@code vigil.articles.tagged}.
 *
 * @param schemaVersion version of this JSON shape, {@value #SCHEMA_VERSION} today
 * @param article       the article as ingested
 * @param rulesVersion  the rule set version that tagged it
 * @param eventTime     the time the article counts at in scoring (see {@code docs/scoring.md})
 * @param matches       matched topics, empty when nothing matched
 */
public record TaggedArticle(int schemaVersion, Article article, String rulesVersion, Instant eventTime, List<TopicMatch> matches) {

    public static final int SCHEMA_VERSION = 1;

    public TaggedArticle {
        Objects.requireNonNull(article, "article");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
        Objects.requireNonNull(eventTime, "eventTime");
        matches = List.copyOf(matches);
    }
}
