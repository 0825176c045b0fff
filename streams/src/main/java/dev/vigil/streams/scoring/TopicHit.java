package dev.vigil.streams.scoring;

import dev.vigil.model.ArticleId;
import dev.vigil.model.Evidence;
import dev.vigil.model.RuleId;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.TopicMatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one article contributes to one topic: the value of the {@code topic-hits} repartition
 * topic, keyed by topic.
 *
 * @param signature the article's {@link StorySignature}, to recognise syndicated copies
 * @param taggedAt  wall-clock time the article was tagged, for the tagged → alert latency; may be null
 */
public record TopicHit(
        ArticleId article,
        String title,
        String url,
        String source,
        Instant eventTime,
        double weight,
        List<RuleId> signals,
        List<Evidence> evidence,
        String rulesVersion,
        String signature,
        Instant taggedAt) {

    /** Evidence carried per story in an alert; enough to show why, small enough to mail. */
    static final int MAX_EVIDENCE = 6;

    public TopicHit {
        Objects.requireNonNull(article, "article");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(rulesVersion, "rulesVersion");
        signals = List.copyOf(signals);
        evidence = List.copyOf(evidence);
        title = Objects.requireNonNullElse(title, "");
        url = Objects.requireNonNullElse(url, "");
        source = Objects.requireNonNullElse(source, "");
        signature = Objects.requireNonNullElse(signature, "");
    }

    /** A hit without a tagging time. */
    public TopicHit(ArticleId article, String title, String url, String source, Instant eventTime, double weight, List<RuleId> signals,
            List<Evidence> evidence, String rulesVersion, String signature) {
        this(article, title, url, source, eventTime, weight, signals, evidence, rulesVersion, signature, null);
    }

    /** The hit of a tagged article on one escalating topic match. */
    public static TopicHit of(TaggedArticle tagged, TopicMatch match, String signature, Instant taggedAt) {
        List<Evidence> evidence = new ArrayList<>();
        // signal evidence first: it is what made the story count
        match.signals().forEach(s -> evidence.addAll(s.evidence().subList(0, Math.min(2, s.evidence().size()))));
        evidence.addAll(match.topicEvidence().subList(0, Math.min(2, match.topicEvidence().size())));
        return new TopicHit(
                tagged.article().id(),
                tagged.article().title(),
                tagged.article().url(),
                tagged.article().source(),
                tagged.eventTime(),
                match.weight(),
                match.signals().stream().map(s -> s.signal()).toList(),
                evidence.subList(0, Math.min(MAX_EVIDENCE, evidence.size())),
                tagged.rulesVersion(),
                signature,
                taggedAt);
    }
}
