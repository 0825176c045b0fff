package dev.vigil.streams.rules;

import java.util.List;
import java.util.Objects;

/**
 * A whole, validated rules file: what is watched, what counts as escalation, and how scores
 * become levels. Immutable; a new file makes a new rule set, swapped in as a whole.
 *
 * @param version  identifies this rule set in every tagged article and alert (a checksum of the file)
 * @param topics   watched topics
 * @param signals  escalation signals
 * @param alerting window, thresholds and hysteresis
 */
public record RuleSet(String version, List<TopicRule> topics, List<SignalRule> signals, AlertingPolicy alerting) {

    public RuleSet {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(alerting, "alerting");
        topics = List.copyOf(topics);
        signals = List.copyOf(signals);
    }
}
