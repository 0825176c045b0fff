package dev.vigil.model;

import java.util.List;
import java.util.Objects;

/**
 * An article matched a watched topic. It counts toward the topic's escalation only when
 * {@link #signals()} is not empty.
 *
 * @param topic         the watched topic
 * @param topicEvidence the topic terms that matched
 * @param signals       escalation signals found in the same article
 */
public record TopicMatch(TopicName topic, List<Evidence> topicEvidence, List<SignalHit> signals) {

    public TopicMatch {
        Objects.requireNonNull(topic, "topic");
        topicEvidence = List.copyOf(topicEvidence);
        signals = List.copyOf(signals);
    }

    /** Sum of the weights of the signals found. */
    public double weight() {
        return signals.stream().mapToDouble(SignalHit::weight).sum();
    }

    public boolean escalates() {
        return !signals.isEmpty();
    }
}
