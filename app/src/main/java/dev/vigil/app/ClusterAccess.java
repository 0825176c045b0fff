package dev.vigil.app;

import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each service needs from a secured cluster (the ACLs of {@code docs/deploying.md} and
 * {@code vigil topics plan}), and the check at start that the cluster grants it, so a missing
 * ACL stops the service at once with the topic's name instead of failing the first write an hour
 * later.
 */
final class ClusterAccess {

    /**
     * The default prefix of the consumer groups and the Streams application id:
     * {@code vigil-ingest}, {@code vigil-streams}, {@code vigil-alerts}. Two deployments on one
     * cluster use two prefixes.
     */
    static final String DEFAULT_ID_PREFIX = "vigil";

    /** A service and what it does with which topic, consumer group and transactional id. */
    enum Service {
        INGEST("ingest", false,
                List.of(Topics.FEEDS, Topics.INGEST_STATE),
                List.of(Topics.FEEDS, Topics.INGEST_STATE, Topics.ARTICLES, Topics.INGEST_ERRORS)),
        STREAMS("streams", true,
                List.of(Topics.ARTICLES, Topics.RULES),
                List.of(Topics.ARTICLES_TAGGED, Topics.SCORES, Topics.ALERTS, Topics.ARTICLES_DLQ)),
        ALERTS("alerts", false,
                List.of(Topics.ALERTS, Topics.SILENCES),
                List.of(Topics.DELIVERIES, Topics.ALERTS_DLQ, Topics.ALERTS_MALFORMED, Topics.SILENCES)),
        /** {@code vigil run}'s status page, beside the three services: it reads without a group. */
        STATUS(null, false, List.of(Topics.SCORES), List.of());

        /** What follows the prefix in the consumer group (Streams: the application id), or null for none. */
        private final String groupSuffix;
        /** Whether it writes in transactions (Streams exactly-once), with the group as the transactional id prefix. */
        private final boolean transactional;
        final List<Topic<?, ?>> reads;
        final List<Topic<?, ?>> writes;

        Service(String groupSuffix, boolean transactional, List<Topic<?, ?>> reads, List<Topic<?, ?>> writes) {
            this.groupSuffix = groupSuffix;
            this.transactional = transactional;
            this.reads = reads;
            this.writes = writes;
        }

        /** The consumer group (Streams: the application id, also the prefix of its internal topics) under {@code idPrefix}, or null. */
        String group(String idPrefix) {
            return groupSuffix == null ? null : idPrefix + "-" + groupSuffix;
        }
    }

    private ClusterAccess() {
    }

    /** The topics some of these services use, in {@link Topics#all()} order, as {@link Topics} names them (no deployment's prefix). */
    static List<Topic<?, ?>> topics(Collection<Service> services) {
        Set<Topic<?, ?>> used = new LinkedHashSet<>();
        services.forEach(s -> {
            used.addAll(s.reads);
            used.addAll(s.writes);
        });
        return Topics.all().stream().filter(used::contains).toList();
    }

    /**
     * The ACLs {@code principal} (e.g. {@code User:vigil-streams}) needs to run a service whose
     * groups start with {@code idPrefix}, from any host: DESCRIBE comes with READ and WRITE; Streams also owns the internal topics
     * prefixed with its application id, and its transactional ids (exactly-once) share that
     * prefix. Idempotent producers need no cluster ACL when they may write a topic (Kafka 2.8+).
     * Topic names carry {@code topicPrefix} ({@link KafkaConnection#topic}).
     */
    static List<AclBinding> acls(Service service, String principal, String idPrefix, String topicPrefix) {
        List<AclBinding> out = new ArrayList<>();
        service.reads.forEach(t -> out.add(allow(principal, ResourceType.TOPIC, t.prefixed(topicPrefix).name(), PatternType.LITERAL, AclOperation.READ)));
        service.writes.forEach(t -> out.add(allow(principal, ResourceType.TOPIC, t.prefixed(topicPrefix).name(), PatternType.LITERAL, AclOperation.WRITE)));
        String group = service.group(idPrefix);
        if (group != null) {
            out.add(allow(principal, ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
        }
        if (service.transactional) {
            out.add(allow(principal, ResourceType.TOPIC, group + "-", PatternType.PREFIXED, AclOperation.ALL));
            out.add(allow(principal, ResourceType.TRANSACTIONAL_ID, group, PatternType.PREFIXED, AclOperation.WRITE));
            out.add(allow(principal, ResourceType.TRANSACTIONAL_ID, group, PatternType.PREFIXED, AclOperation.DESCRIBE));
        }
        return out;
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    /**
     * Fails with a {@link KafkaProblem} naming the topics a service may not read or write, or the
     * consumer group it may not use (groups under {@code idPrefix}; null skips them). A cluster
     * without an authorizer grants everything; a broker that does not report authorised
     * operations is not checked (the clients will fail on first use instead). Transactional ids
     * cannot be checked before use: a missing one stops Streams at its first transaction.
     */
    static void verify(KafkaConnection kafka, Collection<Service> services, String idPrefix) {
        Set<String> names = new LinkedHashSet<>();
        services.forEach(s -> {
            s.reads.forEach(t -> names.add(kafka.topic(t).name()));
            s.writes.forEach(t -> names.add(kafka.topic(t).name()));
        });
        if (names.isEmpty()) {
            return;
        }
        try (Admin admin = TopicAdmin.admin(kafka)) {
            Map<String, TopicDescription> described = admin.describeTopics(names, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            List<String> refused = new ArrayList<>();
            for (Service s : services) {
                s.reads.forEach(t -> refuse(described.get(kafka.topic(t).name()), AclOperation.READ, s, refused));
                s.writes.forEach(t -> refuse(described.get(kafka.topic(t).name()), AclOperation.WRITE, s, refused));
            }
            if (!refused.isEmpty()) {
                throw new KafkaProblem("Kafka at " + kafka.bootstrapServers() + ": " + kafka.principal() + " is not authorised to "
                        + String.join("; ", refused) + " (see docs/deploying.md for the ACLs each service needs)");
            }
            if (idPrefix != null) {
                verifyGroups(kafka, admin, services.stream().map(s -> s.group(idPrefix)).filter(Objects::nonNull).toList());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaProblem.of(kafka, "describe Vigil's topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking access to Kafka", e);
        }
    }

    /** Describing a group needs DESCRIBE on it, which READ implies: a refusal means the service could not join it. */
    private static void verifyGroups(KafkaConnection kafka, Admin admin, List<String> groups) throws InterruptedException, TimeoutException {
        if (groups.isEmpty()) {
            return;
        }
        for (var e : admin.describeConsumerGroups(groups).describedGroups().entrySet()) {
            try {
                e.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof GroupAuthorizationException) {
                    throw new KafkaProblem("Kafka at " + kafka.bootstrapServers() + ": " + kafka.principal() + " is not authorised to use the consumer group "
                            + e.getKey() + " (see docs/deploying.md for the ACLs each service needs)");
                }
                if (!(failed.getCause() instanceof GroupIdNotFoundException)) {
                    throw KafkaProblem.of(kafka, "describe the consumer group " + e.getKey(), failed);
                }
                // a group nobody has joined yet: fine, the service creates it
            }
        }
    }

    private static void refuse(TopicDescription d, AclOperation op, Service s, List<String> refused) {
        Set<AclOperation> granted = d.authorizedOperations();
        if (granted == null || granted.isEmpty() || granted.contains(op) || granted.contains(AclOperation.ALL)) {
            return;
        }
        String what = op.name().toLowerCase(Locale.ROOT) + " topic " + d.name() + " (" + s.name().toLowerCase(Locale.ROOT) + ")";
        if (!refused.contains(what)) {
            refused.add(what);
        }
    }
}
