package dev.vigil.streams.scoring;

import dev.vigil.model.ArticleId;
import dev.vigil.model.Evidence;
import dev.vigil.model.RuleId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One story in a topic's window: the first article that told it and the copies that repeated it
 * (same article id re-sent, or a near-duplicate body from another or the same outlet). It counts
 * once, at the time it was first told, with the weight of its strongest copy.
 *
 * <p>Bounded so that a topic's state fits in one Kafka record however widely a story is run
 * ({@code docs/scoring.md}, "Bounded state"): at most {@link #MAX_COPIES} copies are kept (the
 * first and the strongest always) and at most {@link #MAX_OUTLETS} outlet names, while
 * {@code copyCount} and {@code outletCount} go on counting.
 *
 * @param id          the first article's id
 * @param signature   the first article's signature, which later copies are compared with
 * @param eventTime   when the story was first told
 * @param title       headline of the first article (updated when that article is edited)
 * @param url         link to the first article
 * @param source      the outlet that told it first
 * @param signals     signals of the strongest copy
 * @param evidence    evidence of the strongest copy; empty once the story is {@link #compact compacted}
 * @param copies      the kept articles of the story, first one included
 * @param outlets     the kept names of the outlets that carried it, sorted
 * @param copyCount   every copy the story has had, kept or not
 * @param outletCount distinct outlets that carried it, listed or not: the breadth of the score
 */
public record Story(ArticleId id, String signature, Instant eventTime, String title, String url, String source,
        List<RuleId> signals, List<Evidence> evidence, List<Copy> copies, List<String> outlets, int copyCount, int outletCount) {

    /** Copies kept per story; more only raise {@code copyCount}. */
    static final int MAX_COPIES = 64;
    /** Outlet names kept per story; more only raise {@code outletCount}. */
    static final int MAX_OUTLETS = 64;
    /** Outlet names a compacted story keeps. */
    static final int COMPACT_OUTLETS = 8;

    public Story {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventTime, "eventTime");
        signals = List.copyOf(signals);
        evidence = List.copyOf(evidence);
        copies = List.copyOf(copies);
        // state written before the caps has no outlets or counts: derive them from its copies
        outlets = outlets != null ? outlets.stream().sorted().toList() : copies.stream().map(Copy::source).distinct().sorted().toList();
        copyCount = Math.max(copyCount, copies.size());
        outletCount = Math.max(outletCount, outlets.size());
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
                List.of(new Copy(hit.article(), hit.source(), hit.eventTime(), hit.weight())), List.of(hit.source()), 1, 1);
    }

    /** The strongest kept copy's weight (the strongest copy is never dropped). */
    public double weight() {
        return copies.stream().mapToDouble(Copy::weight).max().orElse(0);
    }

    /** Whether the full evidence was shed to keep the topic's state under the record limit. */
    boolean compacted() {
        return evidence.isEmpty() && copies.size() <= 2 && outlets.size() <= COMPACT_OUTLETS;
    }

    boolean contains(ArticleId article) {
        return copies.stream().anyMatch(c -> c.article().equals(article));
    }

    /**
     * The story with {@code hit} as a new or edited copy. An edit keeps the copy's first event
     * time (it is not a new story) and refreshes the evidence; the strongest copy's signals and
     * evidence represent the story. A new copy from an outlet not listed raises the outlet count.
     */
    Story with(TopicHit hit) {
        List<Copy> next = new ArrayList<>();
        Instant at = hit.eventTime();
        boolean edit = false;
        for (Copy c : copies) {
            if (c.article().equals(hit.article())) {
                at = c.eventTime();
                edit = true;
            } else {
                next.add(c);
            }
        }
        next.add(new Copy(hit.article(), hit.source(), at, hit.weight()));
        boolean strongest = next.stream().allMatch(c -> c.weight() <= hit.weight());
        boolean first = hit.article().equals(id);
        List<String> names = new ArrayList<>(outlets);
        int outletsNow = outletCount;
        if (!edit && !names.contains(hit.source())) {
            outletsNow++;
            if (names.size() < MAX_OUTLETS) {
                names.add(hit.source());
            }
        }
        return new Story(id, signature, eventTime,
                first ? hit.title() : title, first ? hit.url() : url, source,
                strongest ? hit.signals() : signals, strongest ? hit.evidence() : evidence,
                keep(next, MAX_COPIES), names, edit ? copyCount : copyCount + 1, outletsNow);
    }

    /**
     * The story without its evidence, its copies but the first and the strongest, and its outlet
     * names but {@link #COMPACT_OUTLETS}: what the score needs, in a few hundred bytes.
     */
    Story compact() {
        return new Story(id, signature, eventTime, title, url, source, signals, List.of(), keep(copies, 2),
                outlets.subList(0, Math.min(COMPACT_OUTLETS, outlets.size())), copyCount, outletCount);
    }

    /** {@code copies} cut to {@code max}, weakest (then oldest) first, never the first article nor the strongest. */
    private List<Copy> keep(List<Copy> copies, int max) {
        List<Copy> kept = new ArrayList<>(copies);
        Copy strongest = kept.stream().max(Comparator.comparingDouble(Copy::weight)).orElse(null);
        List<Copy> expendable = kept.stream().filter(c -> !c.article().equals(id) && c != strongest)
                .sorted(Comparator.comparingDouble(Copy::weight).thenComparing(Copy::eventTime)).toList();
        for (int i = 0; kept.size() > max && i < expendable.size(); i++) {
            kept.remove(expendable.get(i));
        }
        return kept;
    }
}
