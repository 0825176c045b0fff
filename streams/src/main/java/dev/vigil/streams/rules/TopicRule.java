package dev.vigil.streams.rules;

import dev.vigil.model.TopicName;
import java.util.List;
import java.util.Objects;

/** A watched topic: an article is about it when any of its terms appears in title or body. */
public record TopicRule(TopicName name, List<Term> any) {

    public TopicRule {
        Objects.requireNonNull(name, "name");
        any = List.copyOf(any);
        if (any.isEmpty()) {
            throw new IllegalArgumentException("topic " + name + ": expected at least one term");
        }
    }
}
