package dev.vigil.alerts;

import dev.vigil.alerts.receiver.Secret;
import dev.vigil.model.Topic;
import dev.vigil.model.kafka.KafkaConnection;
import java.util.Objects;

/**
 * Everything the alerts service needs to run, parsed once by the caller.
 *
 * @param kafka            how to reach Kafka
 * @param groupId          consumer group: instances with the same id share the alerts
 * @param routing          receivers, routes, fixed silences, repeat interval and retries
 * @param apiToken         bearer token that {@code POST/DELETE /api/silences} require; {@code null}
 *                         turns those two off (reading stays open)
 * @param maxInFlight      consumed alerts with deliveries still open before consumption pauses
 * @param recentAlerts     alerts kept for {@code GET /api/alerts} and resuming the event stream
 * @param instanceId       this instance's stable name in the consumer group ({@code group.instance.id},
 *                         e.g. a pod name), so a restarted instance takes its partitions back at once
 *                         instead of after the session timeout; {@code null} for none
 */
public record AlertsSettings(KafkaConnection kafka, String groupId, Routing routing, Secret apiToken, int maxInFlight, int recentAlerts,
                             String instanceId) {

    public static final String DEFAULT_GROUP_ID = "vigil-alerts";
    /** The longest {@code instanceId} (Kafka would take 249). */
    static final int MAX_INSTANCE_ID = 128;

    public AlertsSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(routing, "routing");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight: expected at least 1, found " + maxInFlight);
        }
        if (instanceId != null) {
            // Kafka holds a group.instance.id to its topic-name rule; Vigil to 128 characters of it
            Topic.nameProblem(instanceId, MAX_INSTANCE_ID).ifPresent(problem -> {
                throw new IllegalArgumentException("instanceId: " + problem);
            });
        }
        if (recentAlerts < 1) {
            throw new IllegalArgumentException("recentAlerts: expected at least 1, found " + recentAlerts);
        }
    }

    public static AlertsSettings of(KafkaConnection kafka, Routing routing) {
        return new AlertsSettings(kafka, DEFAULT_GROUP_ID, routing, null, 10_000, 1_000, null);
    }

    /** On an open cluster (the embedded broker). */
    public static AlertsSettings of(String bootstrapServers, Routing routing) {
        return of(KafkaConnection.to(bootstrapServers), routing);
    }

    public AlertsSettings withInstanceId(String instanceId) {
        return new AlertsSettings(kafka, groupId, routing, apiToken, maxInFlight, recentAlerts, instanceId);
    }

    public AlertsSettings withGroupId(String groupId) {
        return new AlertsSettings(kafka, groupId, routing, apiToken, maxInFlight, recentAlerts, instanceId);
    }

    public AlertsSettings withApiToken(Secret apiToken) {
        return new AlertsSettings(kafka, groupId, routing, apiToken, maxInFlight, recentAlerts, instanceId);
    }

    public AlertsSettings withMaxInFlight(int maxInFlight) {
        return new AlertsSettings(kafka, groupId, routing, apiToken, maxInFlight, recentAlerts, instanceId);
    }
}
