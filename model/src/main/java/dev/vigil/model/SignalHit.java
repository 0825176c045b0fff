package dev.vigil.model;

import java.util.List;
import java.util.Objects;

/** One escalation signal found in an article, with its weight and evidence. */
public record SignalHit(RuleId signal, double weight, List<Evidence> evidence) {

    public SignalHit {
        Objects.requireNonNull(signal, "signal");
        evidence = List.copyOf(evidence);
        if (!(weight > 0)) {
            throw new IllegalArgumentException("weight: expected > 0, found " + weight);
        }
    }
}
