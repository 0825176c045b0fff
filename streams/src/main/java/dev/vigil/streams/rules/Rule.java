package dev.vigil.streams.rules;

import dev.vigil.model.RuleId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What topics and signals share: terms that raise the rule, optionally only near other terms,
 * never where an exclusion wins, weighed per field.
 */
public sealed interface Rule permits TopicRule, SignalRule {

    /** The rule's id as evidence names it: the topic name or the signal id. */
    RuleId ruleId();

    /** Terms that raise the rule. */
    List<Term> any();

    /** When present, a term counts only within this many words of one of these. */
    Optional<Proximity> near();

    /** When present, a term does not count where one of these stands over it or close to it. */
    Optional<Exclusion> not();

    /** How much a match in each field counts; a field weighed 0 is not searched. */
    FieldWeights fields();

    /**
     * "Within {@code within} words of any of {@code any}", in the same field: at most
     * {@code within} words stand between the two.
     */
    record Proximity(List<Term> any, int within) {
        public Proximity {
            any = List.copyOf(any);
            if (any.isEmpty() || within < 1) {
                throw new IllegalArgumentException("near: expected terms and within >= 1");
            }
        }
    }

    /**
     * Exclusions that win over a match in the same context: a match does not count when one of
     * these terms shares a word with it ({@code within} is {@link #OVERLAP}), or stands at most
     * {@code within} words from it.
     */
    record Exclusion(List<Term> any, int within) {
        /** The exclusion must share at least one word with the match ("labour strike" over "strike"). */
        public static final int OVERLAP = -1;

        public Exclusion {
            any = List.copyOf(any);
            if (any.isEmpty() || within < OVERLAP) {
                throw new IllegalArgumentException("not: expected terms and within >= 0");
            }
        }
    }

    /** Checks shared by the rule records' constructors. */
    static void check(Object id, List<Term> any, Optional<Proximity> near, Optional<Exclusion> not, FieldWeights fields) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(near, "near");
        Objects.requireNonNull(not, "not");
        Objects.requireNonNull(fields, "fields");
        if (any.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + ": expected at least one term");
        }
    }
}
