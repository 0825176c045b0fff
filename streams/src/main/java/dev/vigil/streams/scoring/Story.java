package dev.vigil.streams.scoring;

import dev.vigil.model.ArticleId;
import dev.vigil.model.Evidence;
import dev.vigil.model.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One story in a topic's window: the first article that told it and every copy that repeated it
 * (same article id re-sent, or a near-duplicate body from another or the same outlet). It counts
 * once, at the time it was first told, with the weight of its strongest copy.
 *
 * @param id        the first article's id
 * @param signature the first article's signature, which later copies are compared with
 * @param eventTime when the story was first told
 * @param title     headline of the first article (updated when that article is edited)
 * @param url       link to the first article
 * @param source    the outlet that told it first
 * @param signals   signals of the strongest copy
 * @param evidence  evidence of the strongest copy
 * @param copies    every article of the story, first one included
 */
public record Story(ArticleId id, String signature, Instant eventTime, String title, String url, String source,
        List<RuleId> signals, List<Evidence> evidence, List<Copy> copies) {

    public Story {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventTime, "eventTime");
        signals = List.copyOf(signals);
        evidence = List.copyOf(evidence);
        copies = List.copyOf(copies);
    }

    /** One article of a story. */
    public record Copy(ArticleId article, String source, Instant eventTime, double weight) {
        public Copy {
            Objects.requireNonNull(article, "article");
            Objects.requireNonNull(eventTime, "eventTime");
        }
    }

    static Story of(TopicHit hit) {
        return new Story(hit.article(), hit.signature(), hit.eventTime(), hit.title(), hit.url(), hit.source(), hit.signals(), hit.evidence(),
                List.of(new Copy(hit.article(), hit.source(), hit.eventTime(), hit.weight())));
    }

    /** The strongest copy's weight. */
    public double weight() {
        return copies.stream().mapToDouble(Copy::weight).max().orElse(0);
    }

    /** Distinct outlets that carried the story. */
    public List<String> outlets() {
        return copies.stream().map(Copy::source).distinct().sorted().toList();
    }

    boolean contains(ArticleId article) {
        return copies.stream().anyMatch(c -> c.article().equals(article));
    }

    /**
     * The story with {@code hit} as a new or edited copy. An edit keeps the copy's first event
     * time (it is not a new story) and refreshes the evidence; the strongest copy's signals and
     * evidence represent the story.
     */
    Story with(TopicHit hit) {
        List<Copy> next = new ArrayList<>();
        Instant at = hit.eventTime();
        for (Copy c : copies) {
            if (c.article().equals(hit.article())) {
                at = c.eventTime();
            } else {
                next.add(c);
            }
        }
        next.add(new Copy(hit.article(), hit.source(), at, hit.weight()));
        boolean strongest = next.stream().allMatch(c -> c.weight() <= hit.weight());
        boolean first = hit.article().equals(id);
        return new Story(id, signature, eventTime,
                first ? hit.title() : title, first ? hit.url() : url, source,
                strongest ? hit.signals() : signals, strongest ? hit.evidence() : evidence, next);
    }
}
