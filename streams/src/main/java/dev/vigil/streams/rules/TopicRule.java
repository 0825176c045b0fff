package dev.vigil.streams.rules;

import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A watched topic. An article is about it when one of its core terms ({@code any}) counts in the
 * title or body, or, without a core term, when enough different entries of its {@code context}
 * (the situation: theatre, actors, operations, units) count. It escalates the topic when the
 * signals it carries add up to at least {@code minWeight}.
 *
 * @param name      the topic
 * @param any       core terms: one is enough
 * @param near      when present, a core term counts only near one of these
 * @param not       exclusions that win over core and context terms
 * @param fields    how much a match in the title and in the body counts
 * @param context   when present, the situation's weaker terms, which count only in combination
 * @param minWeight the least an article's signals must add (weight × field) before it is a hit; 0
 *                  means any signal will do
 */
public record TopicRule(TopicName name, List<Term> any, Optional<Proximity> near, Optional<Exclusion> not, FieldWeights fields,
        Optional<Situation> context, double minWeight) implements Rule {

    public TopicRule {
        any = List.copyOf(any);
        Rule.check(name, any, near, not, fields);
        Objects.requireNonNull(context, "context");
        if (!(minWeight >= 0 && minWeight <= RulesLoader.MAX_MIN_WEIGHT)) {
            throw new IllegalArgumentException("topic " + name + ": minWeight must be from 0 to " + RulesLoader.MAX_MIN_WEIGHT);
        }
    }

    /** A topic without context, hit by any signal. */
    public TopicRule(TopicName name, List<Term> any, Optional<Proximity> near, Optional<Exclusion> not, FieldWeights fields) {
        this(name, any, near, not, fields, Optional.empty(), 0);
    }

    /** A topic raised by any of these terms, anywhere. */
    public TopicRule(TopicName name, List<Term> any) {
        this(name, any, Optional.empty(), Optional.empty(), FieldWeights.DEFAULT);
    }

    @Override
    public RuleId ruleId() {
        return new RuleId(name.value());
    }

    /**
     * The situation a topic is about, said with terms too weak to stand alone ("eastern Pacific",
     * "Southern Command", "narco-terrorists"): an article without a core term is about the topic
     * when at least {@code need} different entries count in it, title and body together. An entry
     * is one term or a group of synonyms ({@code [SOUTHCOM, "Southern Command"]}) that counts once.
     *
     * @param any   the terms, in file order
     * @param entry for each term, the number of the entry it belongs to (0-based, in file order)
     * @param need  how many different entries must count
     */
    public record Situation(List<Term> any, List<Integer> entry, int need) {
        public Situation {
            any = List.copyOf(any);
            entry = List.copyOf(entry);
            if (any.isEmpty() || any.size() != entry.size() || need < 1) {
                throw new IllegalArgumentException("context: expected terms, one entry number per term, and need >= 1");
            }
        }

        /** How many entries there are. */
        public int entries() {
            return entry.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        }
    }
}
