package dev.vigil.app;

import dev.vigil.model.Topic;
import dev.vigil.model.TopicSpec;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's topics on a cluster, each laid out as its {@link TopicSpec} says: created when missing
 * (or, where the cluster forbids that, only verified), and checked by {@code vigil topics check}.
 * Existing topics are never altered: an operator may have tuned them.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final int TIMEOUT_SECONDS = 30;

    /** What to tell an operator whose cluster lacks a topic. */
    static final String PLAN_HINT = "`vigil topics plan` prints the commands that create them";

    private TopicAdmin() {
    }

    /** {@link #ensureTopics(KafkaConnection, boolean)} creating what is missing on an open cluster (the embedded broker). */
    public static void ensureTopics(String bootstrapServers) {
        ensureTopics(KafkaConnection.to(bootstrapServers), true);
    }

    /**
     * Creates Vigil's missing topics, or with {@code create} false refuses to go on when one is
     * missing, naming it and {@code vigil topics plan}.
     */
    public static void ensureTopics(KafkaConnection kafka, boolean create) {
        ensureTopics(kafka, create, Topics.all());
    }

    /**
     * {@link #ensureTopics(KafkaConnection, boolean)} for the topics a process uses: on a secured
     * cluster a service's user sees only the topics its ACLs name. {@code used} are {@link Topics}
     * descriptors; they are created under the connection's topic prefix.
     */
    static void ensureTopics(KafkaConnection kafka, boolean create, List<Topic<?, ?>> used) {
        List<Topic<?, ?>> topics = onCluster(kafka, used);
        try (Admin admin = admin(kafka)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<Topic<?, ?>> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            if (!create) {
                throw new KafkaProblem("Kafka at " + kafka.bootstrapServers() + " lacks " + (missing.size() == 1 ? "the topic " : "the topics ")
                        + names(missing) + ", and topics are not created here (--create-topics=false): " + PLAN_HINT);
            }
            admin.createTopics(missing.stream().map(TopicAdmin::newTopic).toList()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("kafka: created topics {}", names(missing));
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaProblem.of(kafka, "prepare Vigil's topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topics", e);
        }
    }

    /** One difference between a topic on the cluster and its spec. */
    record Finding(Topic<?, ?> topic, String problem) {
        @Override
        public String toString() {
            return topic.name() + ": " + problem;
        }
    }

    /**
     * Compares every topic on the cluster (under the connection's topic prefix) with its spec: missing topics, fewer partitions than
     * planned, another cleanup policy or retention. More partitions are fine.
     */
    static List<Finding> check(KafkaConnection kafka) {
        List<Finding> findings = new ArrayList<>();
        try (Admin admin = admin(kafka)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<Topic<?, ?>> present = new ArrayList<>();
            for (Topic<?, ?> t : onCluster(kafka, Topics.all())) {
                if (existing.contains(t.name())) {
                    present.add(t);
                } else {
                    findings.add(new Finding(t, "missing"));
                }
            }
            if (present.isEmpty()) {
                return findings;
            }
            List<String> names = present.stream().map(Topic::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
                    .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (Topic<?, ?> t : present) {
                int partitions = described.get(t.name()).partitions().size();
                if (partitions < t.spec().partitions()) {
                    findings.add(new Finding(t, partitions + " partitions, expected at least " + t.spec().partitions()));
                }
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
                t.spec().configs().forEach((key, wanted) -> {
                    String found = Optional.ofNullable(config.get(key)).map(ConfigEntry::value).orElse(null);
                    if (!wanted.equals(found)) {
                        findings.add(new Finding(t, key + " is " + found + ", expected " + wanted));
                    }
                });
            }
            return findings;
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaProblem.of(kafka, "check Vigil's topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }

    /** {@link Topics} descriptors as the connection's deployment names them on the cluster ({@link KafkaConnection#topic}). */
    static List<Topic<?, ?>> onCluster(KafkaConnection kafka, List<Topic<?, ?>> topics) {
        return topics.stream().<Topic<?, ?>>map(kafka::topic).toList();
    }

    static Admin admin(KafkaConnection kafka) {
        Properties p = kafka.admin();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-admin");
        return Admin.create(p);
    }

    private static NewTopic newTopic(Topic<?, ?> topic) {
        TopicSpec spec = topic.spec();
        return new NewTopic(topic.name(), Optional.of(spec.partitions()), spec.replicationFactor()).configs(spec.configs());
    }

    private static String names(Collection<Topic<?, ?>> topics) {
        return topics.stream().map(Topic::name).collect(Collectors.joining(", "));
    }
}
