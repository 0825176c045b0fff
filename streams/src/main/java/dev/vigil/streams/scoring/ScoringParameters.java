package dev.vigil.streams.scoring;

import java.time.Duration;
import java.util.Objects;

/**
 * The constants of the score formula (see {@code docs/scoring.md}).
 *
 * @param breadth          β: a story carried by n outlets weighs {@code 1 + β·ln(n)} times its signals
 * @param sameSourceDecay  ρ: the k-th strongest story first published by one outlet weighs {@code ρ^(k-1)}
 * @param similarity       two articles whose estimated shingle Jaccard similarity reaches this are one story
 * @param dedupeRetention  how long an article id is remembered, so a re-sent article never counts twice
 */
public record ScoringParameters(double breadth, double sameSourceDecay, double similarity, Duration dedupeRetention) {

    public static final ScoringParameters DEFAULT = new ScoringParameters(0.5, 0.6, 0.5, Duration.ofDays(7));

    public ScoringParameters {
        Objects.requireNonNull(dedupeRetention, "dedupeRetention");
        if (!(breadth >= 0)) {
            throw new IllegalArgumentException("breadth: expected >= 0, found " + breadth);
        }
        if (!(sameSourceDecay > 0 && sameSourceDecay <= 1)) {
            throw new IllegalArgumentException("sameSourceDecay: expected a number in (0, 1], found " + sameSourceDecay);
        }
        if (!(similarity > 0 && similarity <= 1)) {
            throw new IllegalArgumentException("similarity: expected a number in (0, 1], found " + similarity);
        }
        if (dedupeRetention.isNegative() || dedupeRetention.isZero()) {
            throw new IllegalArgumentException("dedupeRetention: expected a positive duration, found " + dedupeRetention);
        }
    }
}
