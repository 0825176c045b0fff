package dev.vigil.app;

import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Vigil's topics when they do not exist yet, with their partition counts and retention.
 * Existing topics are left as they are: an operator may have tuned them.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final String THIRTY_DAYS = String.valueOf(Duration.ofDays(30).toMillis());

    private TopicAdmin() {
    }

    public static void ensureTopics(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.all()) {
                if (!existing.contains(topic.name())) {
                    missing.add(newTopic(topic));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            log.info("kafka: created topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to create Vigil's topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Partitions of {@code vigil.ingest.state}: the units in which ingest instances share the
     * feeds, so also the most ingest instances that can usefully run.
     */
    public static final int INGEST_STATE_PARTITIONS = 12;

    private static NewTopic newTopic(Topic<?, ?> topic) {
        if (topic == Topics.INGEST_STATE) {
            return new NewTopic(topic.name(), Optional.of(INGEST_STATE_PARTITIONS), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        // articles, scores and alerts are keyed for parallelism; the audit topics are small
        boolean keyed = topic == Topics.ARTICLES || topic == Topics.ARTICLES_TAGGED || topic == Topics.SCORES || topic == Topics.ALERTS;
        NewTopic t = new NewTopic(topic.name(), Optional.of(keyed ? 3 : 1), Optional.empty());
        // dead letters are kept a month, time to look at them and replay them (vigil dlq)
        if (topic == Topics.ALERTS || topic == Topics.ALERTS_DLQ || topic == Topics.ARTICLES_DLQ || topic == Topics.DELIVERIES) {
            t.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS));
        }
        if (topic == Topics.SILENCES || topic == Topics.RULES || topic == Topics.FEEDS) {
            // the latest state per key is what matters (a silence, the rule set in force, a feed), kept for as
            // long as the topic lives; removed silences and feeds are tombstones
            t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return t;
    }
}
