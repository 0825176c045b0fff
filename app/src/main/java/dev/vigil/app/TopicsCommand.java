package dev.vigil.app;

import dev.vigil.model.Topic;
import dev.vigil.model.TopicSpec;
import dev.vigil.model.Topics;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil topics plan|check}: for clusters where a cluster administrator, not Vigil, creates
 * topics and grants ACLs. Both read the topics and their specs from {@link Topics} and the ACLs
 * from {@link ClusterAccess}, so what they print is what the services need.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Print the topics and ACLs Vigil needs on a cluster, or check that a cluster has the topics.",
        subcommands = {TopicsCommand.Plan.class, TopicsCommand.Check.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil topics plan > create-vigil-topics.sh",
                "  vigil topics plan --format strimzi --cluster my-cluster > vigil-kafka.yaml",
                "  vigil topics check --bootstrap-servers kafka:9093 --kafka-config client.properties"})
final class TopicsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: plan or check");
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = {"Print the topics Vigil needs, with their settings, and the ACLs of each service.",
                    "shell: kafka-topics.sh and kafka-acls.sh commands for a cluster administrator to run;",
                    "strimzi: KafkaTopic resources, and a KafkaUser per service with simple authorization (SCRAM-SHA-512).",
                    "Without --replication-factor, topics get the broker's default.replication.factor."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil topics plan",
                    "  vigil topics plan --replication-factor 3 --principal streams=User:vigil-streams-prod",
                    "  vigil topics plan --format strimzi --cluster my-cluster --replication-factor 3"})
    static final class Plan implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--format", paramLabel = "shell|strimzi", description = "How to write the plan (default: shell).")
        String format = "shell";

        @Option(names = "--replication-factor", paramLabel = "N", description = "Copies of each partition (default: the broker's default).")
        Short replicationFactor;

        @Option(names = "--cluster", paramLabel = "NAME", description = "The Strimzi Kafka cluster the resources belong to (label strimzi.io/cluster; default: my-cluster).")
        String cluster = "my-cluster";

        @Option(names = "--principal", paramLabel = "SERVICE=PRINCIPAL",
                description = "The principal a service connects as; repeatable (default: User:vigil-ingest, User:vigil-streams, User:vigil-alerts; "
                        + "`vigil run` needs all three services' ACLs and the status page's).")
        Map<String, String> principals = new LinkedHashMap<>();

        @Mixin
        CommonOptions.Ids ids;

        @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = CommonOptions.TOPIC_PREFIX_HELP)
        String topicPrefixFlag;

        /** The topic prefix (flag, env, vigil.yaml), resolved once. */
        private String topicPrefix;

        @Override
        public Integer call() {
            topicPrefix = CommonOptions.settings(spec).topicPrefix(topicPrefixFlag).value();
            if (replicationFactor != null && replicationFactor < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--replication-factor: expected at least 1, found " + replicationFactor);
            }
            for (String service : principals.keySet()) {
                if (services().stream().noneMatch(s -> name(s).equals(service))) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--principal: expected ingest, streams or alerts before '=', found '" + service + "'");
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            switch (format) {
                case "shell" -> shell(out);
                case "strimzi" -> strimzi(out);
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--format: expected shell or strimzi, found '" + format + "'");
            }
            return 0;
        }

        /** Vigil's topics under the topic prefix. */
        private List<Topic<?, ?>> topics() {
            return Topics.all().stream().<Topic<?, ?>>map(t -> t.prefixed(topicPrefix)).toList();
        }

        private TopicSpec spec(Topic<?, ?> topic) {
            return replicationFactor == null ? topic.spec() : topic.spec().replicationFactor(replicationFactor);
        }

        private String principal(ClusterAccess.Service s) {
            return principals.getOrDefault(name(s), "User:vigil-" + name(s));
        }

        private static String name(ClusterAccess.Service s) {
            return s.name().toLowerCase(Locale.ROOT);
        }

        private List<ClusterAccess.Service> services() {
            // the status page runs only inside `vigil run`, whose user needs every service's ACLs anyway
            return List.of(ClusterAccess.Service.INGEST, ClusterAccess.Service.STREAMS, ClusterAccess.Service.ALERTS);
        }

        private void shell(PrintWriter out) {
            out.println("#!/bin/sh");
            out.println("# Vigil's topics and ACLs (vigil topics plan). Run as a cluster administrator; set these two first:");
            out.println("BOOTSTRAP=${BOOTSTRAP:-kafka:9092}");
            out.println("ADMIN_CONFIG=${ADMIN_CONFIG:-admin.properties}");
            out.println("set -e");
            out.println();
            for (Topic<?, ?> t : topics()) {
                TopicSpec s = spec(t);
                StringBuilder line = new StringBuilder("kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --create --if-not-exists")
                        .append(" --topic ").append(t.name()).append(" --partitions ").append(s.partitions());
                s.replicationFactor().ifPresent(r -> line.append(" --replication-factor ").append(r));
                s.configs().forEach((k, v) -> line.append(" --config ").append(k).append('=').append(v));
                out.println(line);
            }
            for (ClusterAccess.Service service : services()) {
                out.println();
                out.println("# vigil " + name(service) + " as " + principal(service));
                for (AclBinding b : ClusterAccess.acls(service, principal(service), ids.prefix(), topicPrefix)) {
                    out.println("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --add --allow-principal "
                            + b.entry().principal() + " --operation " + operation(b) + " " + resource(b));
                }
            }
        }

        private static String resource(AclBinding b) {
            String flag = switch (b.pattern().resourceType()) {
                case TOPIC -> "--topic";
                case GROUP -> "--group";
                case TRANSACTIONAL_ID -> "--transactional-id";
                default -> throw new IllegalStateException("no kafka-acls.sh flag for " + b.pattern().resourceType());
            };
            return (b.pattern().patternType() == PatternType.PREFIXED ? "--resource-pattern-type prefixed " : "") + flag + " " + b.pattern().name();
        }

        private static String operation(AclBinding b) {
            String name = b.entry().operation().name();
            return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
        }

        private void strimzi(PrintWriter out) {
            out.println("# Vigil's topics and users for Strimzi (vigil topics plan --format strimzi); the Kafka resource needs");
            out.println("# spec.kafka.authorization.type: simple and a listener with authentication.type: scram-sha-512.");
            for (Topic<?, ?> t : topics()) {
                TopicSpec s = spec(t);
                out.println("---");
                out.println("apiVersion: kafka.strimzi.io/v1beta2");
                out.println("kind: KafkaTopic");
                out.println("metadata:");
                out.println("  name: " + t.name());
                out.println("  labels: {strimzi.io/cluster: " + cluster + "}");
                out.println("spec:");
                out.println("  topicName: " + t.name());
                out.println("  partitions: " + s.partitions());
                s.replicationFactor().ifPresent(r -> out.println("  replicas: " + r));
                out.println("  config:");
                s.configs().forEach((k, v) -> out.println("    " + k + ": \"" + v + "\""));
            }
            for (ClusterAccess.Service service : services()) {
                String user = principal(service).replaceFirst("^User:", "");
                out.println("---");
                out.println("apiVersion: kafka.strimzi.io/v1beta2");
                out.println("kind: KafkaUser");
                out.println("metadata:");
                out.println("  name: " + user);
                out.println("  labels: {strimzi.io/cluster: " + cluster + "}");
                out.println("spec:");
                out.println("  authentication: {type: scram-sha-512}");
                out.println("  authorization:");
                out.println("    type: simple");
                out.println("    acls:");
                for (AclBinding b : ClusterAccess.acls(service, principal(service), ids.prefix(), topicPrefix)) {
                    out.println("      - resource: {type: " + strimziType(b.pattern().resourceType()) + ", name: " + b.pattern().name() + ", patternType: "
                            + b.pattern().patternType().name().toLowerCase(Locale.ROOT) + "}");
                    out.println("        operations: [" + operation(b) + "]");
                    out.println("        host: \"*\"");
                }
            }
        }

        private static String strimziType(ResourceType type) {
            return switch (type) {
                case TOPIC -> "topic";
                case GROUP -> "group";
                case TRANSACTIONAL_ID -> "transactionalId";
                default -> throw new IllegalStateException("no Strimzi ACL resource type for " + type);
            };
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check that a cluster has Vigil's topics with the planned settings.",
                    "Reports each missing topic, fewer partitions than planned, and another cleanup.policy or retention.ms. More partitions are fine."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil topics check --bootstrap-servers kafka:9092",
                    "  vigil topics check --bootstrap-servers kafka:9093 --kafka-config client.properties",
                    "%nExit codes: 0 every topic is as planned; 1 something differs (each difference is listed) or Kafka refused."})
    static final class Check extends KafkaCommand {
        @Override
        public Integer call() {
            List<TopicAdmin.Finding> findings = TopicAdmin.check(kafka.required(spec));
            PrintWriter out = spec.commandLine().getOut();
            if (findings.isEmpty()) {
                out.printf("all %d topics as planned%n", Topics.all().size());
                return 0;
            }
            findings.forEach(f -> out.println(f));
            out.printf("%d %s; %s%n", findings.size(), findings.size() == 1 ? "difference" : "differences", TopicAdmin.PLAN_HINT);
            return Vigil.EXIT_FAILED;
        }
    }
}
