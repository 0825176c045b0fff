package dev.vigil.streams.rules;

import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import java.util.List;
import java.util.Optional;

/** A watched topic: an article is about it when one of its terms counts in the title or body. */
public record TopicRule(TopicName name, List<Term> any, Optional<Proximity> near, Optional<Exclusion> not, FieldWeights fields) implements Rule {

    public TopicRule {
        any = List.copyOf(any);
        Rule.check(name, any, near, not, fields);
    }

    /** A topic raised by any of these terms, anywhere. */
    public TopicRule(TopicName name, List<Term> any) {
        this(name, any, Optional.empty(), Optional.empty(), FieldWeights.DEFAULT);
    }

    @Override
    public RuleId ruleId() {
        return new RuleId(name.value());
    }
}
