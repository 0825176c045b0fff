package dev.vigil.streams.rules;

import dev.vigil.model.RuleId;
import java.util.Collections;
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
     * these terms shares a word with it (its reach is {@link #OVERLAP}), or stands at most its
     * reach in words from it. Each term has its own reach, so one rule can say both "labour strike"
     * (over the match) and "league" (within a dozen words): {@code reach} runs beside {@code any}.
     */
    record Exclusion(List<Term> any, List<Integer> reach) {
        /** The exclusion must share at least one word with the match ("labour strike" over "strike"). */
        public static final int OVERLAP = -1;

        public Exclusion {
            any = List.copyOf(any);
            reach = List.copyOf(reach);
            if (any.isEmpty() || reach.size() != any.size() || reach.stream().anyMatch(w -> w < OVERLAP)) {
                throw new IllegalArgumentException("not: expected terms, each with a reach of OVERLAP or >= 0 words");
            }
        }

        /** Every term with the same reach. */
        public Exclusion(List<Term> any, int within) {
            this(any, Collections.nCopies(any.size(), within));
        }

        /** The reach of every term, where all have the same (a background's markers always do). */
        public int within() {
            int first = reach.get(0);
            if (reach.stream().anyMatch(w -> w != first)) {
                throw new IllegalStateException("not: the terms have different reaches " + reach);
            }
            return first;
        }

        /** The reaches as an array, the matcher's form. */
        int[] reaches() {
            return reach.stream().mapToInt(Integer::intValue).toArray();
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
