package dev.vigil.streams;

import dev.vigil.model.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the streams service needs to run, parsed once by the caller.
 *
 * @param kafka            how to reach Kafka
 * @param applicationId    Kafka Streams application id: instances with the same id share the work
 * @param stateDir         where local state stores live
 * @param expiryInterval   how often windows slide forward by the wall clock
 * @param overrides        extra Kafka Streams properties, applied last
 */
public record StreamsSettings(KafkaConnection kafka, String applicationId, Path stateDir, Duration expiryInterval, Map<String, String> overrides) {

    public static final String DEFAULT_APPLICATION_ID = "vigil-streams";
    public static final Duration DEFAULT_EXPIRY_INTERVAL = Duration.ofSeconds(30);

    public StreamsSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(expiryInterval, "expiryInterval");
        overrides = Map.copyOf(overrides);
    }

    /** On an open cluster (the embedded broker). */
    public StreamsSettings(String bootstrapServers, String applicationId, Path stateDir, Duration expiryInterval, Map<String, String> overrides) {
        this(KafkaConnection.to(bootstrapServers), applicationId, stateDir, expiryInterval, overrides);
    }

    public StreamsSettings withOverrides(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(overrides);
        all.putAll(more);
        return new StreamsSettings(kafka, applicationId, stateDir, expiryInterval, all);
    }

    public static StreamsSettings of(KafkaConnection kafka, Path stateDir) {
        return new StreamsSettings(kafka, DEFAULT_APPLICATION_ID, stateDir, DEFAULT_EXPIRY_INTERVAL, Map.of());
    }

    public static StreamsSettings of(String bootstrapServers, Path stateDir) {
        return of(KafkaConnection.to(bootstrapServers), stateDir);
    }

    public StreamsSettings withApplicationId(String applicationId) {
        return new StreamsSettings(kafka, applicationId, stateDir, expiryInterval, overrides);
    }
}
