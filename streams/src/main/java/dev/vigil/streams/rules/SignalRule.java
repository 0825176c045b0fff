package dev.vigil.streams.rules;

import dev.vigil.model.RuleId;
import java.util.List;
import java.util.Optional;

/**
 * An escalation signal: any of its terms, optionally only near another term, never where an
 * exclusion wins. An article carrying it adds {@code weight} × the weight of the strongest field it
 * was found in to the score of every topic the article is about.
 *
 * @param id     rule id, as in the file
 * @param weight what one article carrying it in the body adds to a topic's score
 * @param any    terms that raise it
 * @param near   when present, a term must stand within that many words of one of these
 * @param not    exclusions that win over a match ("labour strike", "strike a deal")
 * @param fields how much a match in the title and in the body counts
 */
public record SignalRule(RuleId id, double weight, List<Term> any, Optional<Proximity> near, Optional<Exclusion> not, FieldWeights fields)
        implements Rule {

    public SignalRule {
        any = List.copyOf(any);
        Rule.check(id, any, near, not, fields);
        if (!(weight > 0)) {
            throw new IllegalArgumentException("signal " + id + ": weight must be > 0");
        }
    }

    @Override
    public RuleId ruleId() {
        return id;
    }
}
