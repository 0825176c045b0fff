package dev.vigil.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the alerts service needs to run, parsed once by the caller.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId          consumer group: instances with the same id share the alerts
 * @param console          print alerts to standard output
 * @param webhooks         webhook receivers
 * @param retry            retry policy for every receiver
 * @param webhookTimeout   how long one webhook attempt may take
 */
public record AlertsSettings(String bootstrapServers, String groupId, boolean console, List<Webhook> webhooks, RetryPolicy retry, Duration webhookTimeout) {

    public static final String DEFAULT_GROUP_ID = "vigil-alerts";

    public AlertsSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(webhookTimeout, "webhookTimeout");
        webhooks = List.copyOf(webhooks);
    }

    public static AlertsSettings of(String bootstrapServers, List<Webhook> webhooks) {
        return new AlertsSettings(bootstrapServers, DEFAULT_GROUP_ID, true, webhooks, RetryPolicy.DEFAULT, Duration.ofSeconds(10));
    }

    public AlertsSettings withConsole(boolean console) {
        return new AlertsSettings(bootstrapServers, groupId, console, webhooks, retry, webhookTimeout);
    }

    public AlertsSettings withGroupId(String groupId) {
        return new AlertsSettings(bootstrapServers, groupId, console, webhooks, retry, webhookTimeout);
    }

    /** A webhook receiver: a name for logs and metrics, and its URL (which may hold a token: never logged). */
    public record Webhook(String name, URI url) {
        public Webhook {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String toString() {
            return "Webhook[" + name + "]";
        }
    }
}
