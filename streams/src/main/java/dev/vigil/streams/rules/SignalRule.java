package dev.vigil.streams.rules;

import dev.vigil.model.RuleId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An escalation signal: any of its terms, optionally only near another term, never inside one of
 * its exclusions. Its weight adds to the score of every topic the article is about.
 *
 * @param id     rule id, as in the file
 * @param weight what one article carrying it adds to a topic's score
 * @param any    terms that raise it
 * @param near   when present, a term must stand within that many words of one of these
 * @param not    exclusions: a match inside one of these phrases does not count ("labor strike")
 */
public record SignalRule(RuleId id, double weight, List<Term> any, Optional<Proximity> near, List<Term> not) {

    public SignalRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(near, "near");
        any = List.copyOf(any);
        not = List.copyOf(not);
        if (!(weight > 0)) {
            throw new IllegalArgumentException("signal " + id + ": weight must be > 0");
        }
        if (any.isEmpty()) {
            throw new IllegalArgumentException("signal " + id + ": expected at least one term");
        }
    }

    /** "Within {@code within} words of any of {@code any}". */
    public record Proximity(List<Term> any, int within) {
        public Proximity {
            any = List.copyOf(any);
            if (any.isEmpty() || within < 1) {
                throw new IllegalArgumentException("near: expected terms and within >= 1");
            }
        }
    }
}
