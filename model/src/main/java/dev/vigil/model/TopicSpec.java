package dev.vigil.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How a topic is laid out on the cluster: what {@code vigil topics plan} prints, what services
 * create when a topic is missing and what {@code vigil topics check} verifies. Written next to the
 * topic in {@link Topics}, so a new topic is one line there.
 *
 * <pre>{@code
 * TopicSpec.partitions(3).retention(Duration.ofDays(30))
 * TopicSpec.partitions(1).compact()
 * }</pre>
 *
 * @param partitions        the partition count: the most consumers of a group that get work
 * @param compacted         keep the latest record per key ({@code cleanup.policy=compact}) rather
 *                          than delete by age
 * @param retention         how long records are kept ({@code retention.ms}); empty: the broker's default
 * @param replicationFactor copies of each partition; empty: the broker's {@code default.replication.factor}
 */
public record TopicSpec(int partitions, boolean compacted, Optional<Duration> retention, Optional<Short> replicationFactor) {

    /** One partition, deleted by age with the broker's retention. */
    public static final TopicSpec DEFAULT = partitions(1);

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions: expected at least 1, found " + partitions);
        }
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(replicationFactor, "replicationFactor");
        retention.filter(r -> r.isNegative() || r.isZero()).ifPresent(r -> {
            throw new IllegalArgumentException("retention: expected a positive duration, found " + r);
        });
        replicationFactor.filter(r -> r < 1).ifPresent(r -> {
            throw new IllegalArgumentException("replicationFactor: expected at least 1, found " + r);
        });
    }

    public static TopicSpec partitions(int partitions) {
        return new TopicSpec(partitions, false, Optional.empty(), Optional.empty());
    }

    public TopicSpec compact() {
        return new TopicSpec(partitions, true, retention, replicationFactor);
    }

    public TopicSpec retention(Duration retention) {
        return new TopicSpec(partitions, compacted, Optional.of(retention), replicationFactor);
    }

    public TopicSpec replicationFactor(short replicationFactor) {
        return new TopicSpec(partitions, compacted, retention, Optional.of(replicationFactor));
    }

    /** The topic configs this spec sets ({@code cleanup.policy}, {@code retention.ms}), in a stable order. */
    public Map<String, String> configs() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(TopicConfig.CLEANUP_POLICY_CONFIG, compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        retention.ifPresent(r -> out.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(r.toMillis())));
        return out;
    }
}
