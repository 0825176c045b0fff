package dev.vigil.streams;

import dev.vigil.model.Article;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.TopicMatch;
import dev.vigil.streams.rules.Matcher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Tags one article with its topic and signal matches and decides the event time it counts at.
 *
 * <p>Event time rule: the article's published time, unless it is missing, before
 * {@link #EARLIEST_PLAUSIBLE} (feeds that print the Unix epoch), or later than the fetch time plus
 * {@link #MAX_SKEW}; then the fetch time. The fetch time stands for "now" because it was now
 * when the article was seen, and replaying the topic must give the same answer.
 */
public final class Tagger {

    /** How far ahead of its fetch time an article's clock may run before it is not believed. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** Dates before this are treated as missing. */
    public static final Instant EARLIEST_PLAUSIBLE = Instant.parse("1995-01-01T00:00:00Z");

    private final Supplier<Matcher> matchers;

    /** Tags with one rule set. */
    public Tagger(Matcher matcher) {
        Objects.requireNonNull(matcher, "matcher");
        this.matchers = () -> matcher;
    }

    /** Tags each article with the rule set {@code matchers} gives at that moment (the one in force). */
    public Tagger(Supplier<Matcher> matchers) {
        this.matchers = Objects.requireNonNull(matchers, "matchers");
    }

    /**
     * Tags one article with one rule set, read once: the matches and the version stamped on the
     * article come from the same rules even when a new release arrives meanwhile. A title or text
     * over the caps is cut first ({@link Article#capped()}), so the evidence offsets refer to the
     * text the tagged article carries.
     */
    public Tagged tag(Article article) {
        Article capped = article.capped();
        Matcher matcher = matchers.get();
        List<TopicMatch> matches = matcher.match(capped.title(), capped.text(), capped.language());
        EventTime eventTime = eventTime(capped);
        TaggedArticle tagged = new TaggedArticle(TaggedArticle.SCHEMA_VERSION, capped, matcher.rules().version(), eventTime.at(), matches);
        return new Tagged(tagged, eventTime.source(), capped != article);
    }

    static EventTime eventTime(Article article) {
        Instant published = article.published();
        if (published == null) {
            return new EventTime(article.fetched(), EventTimeSource.MISSING);
        }
        if (published.isBefore(EARLIEST_PLAUSIBLE)) {
            return new EventTime(article.fetched(), EventTimeSource.IMPLAUSIBLE);
        }
        if (published.isAfter(article.fetched().plus(MAX_SKEW))) {
            return new EventTime(article.fetched(), EventTimeSource.FUTURE);
        }
        return new EventTime(published, EventTimeSource.PUBLISHED);
    }

    /**
     * A tagged article, how its event time was decided and whether its title or text was cut to
     * the caps (for the meters).
     */
    public record Tagged(TaggedArticle article, EventTimeSource eventTimeSource, boolean cut) {
    }

    record EventTime(Instant at, EventTimeSource source) {
    }

    /** Where an event time came from; a bounded metric tag. */
    public enum EventTimeSource {
        PUBLISHED, MISSING, IMPLAUSIBLE, FUTURE
    }
}
