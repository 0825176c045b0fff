package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/** {@code vigil topics plan}: every topic with its spec, every service's ACLs, as shell commands or Strimzi resources. */
class TopicsCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(String... args) {
        CommandLine cli = Vigil.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void theShellPlanCreatesEveryTopicAsItsSpecSaysAndGrantsEachServiceItsAcls() {
        assertThat(vigil("topics", "plan", "--replication-factor", "3", "--principal", "streams=User:prod-streams")).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        for (Topic<?, ?> t : Topics.all()) {
            String create = lines.stream().filter(l -> l.startsWith("kafka-topics.sh") && l.contains(" --topic " + t.name() + " ")).findFirst().orElseThrow();
            assertThat(create).contains(" --partitions " + t.spec().partitions() + " ", " --replication-factor 3");
            t.spec().configs().forEach((k, v) -> assertThat(create).contains("--config " + k + "=" + v));
        }
        assertThat(lines).contains(
                "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --add --allow-principal User:prod-streams --operation Write --topic vigil.alerts",
                "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --add --allow-principal User:prod-streams --operation Write "
                        + "--resource-pattern-type prefixed --transactional-id vigil-streams",
                "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --add --allow-principal User:vigil-alerts --operation Read --group vigil-alerts");
    }

    @Test
    void aTopicPrefixNamesEveryTopicAndEveryTopicAclOfTheDeployment() {
        assertThat(vigil("topics", "plan", "--topic-prefix", "staging.", "--id-prefix", "vigil-staging")).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        List<String> creates = lines.stream().filter(l -> l.startsWith("kafka-topics.sh")).toList();
        assertThat(creates).hasSize(Topics.all().size());
        for (Topic<?, ?> t : Topics.all()) {
            assertThat(creates).anyMatch(l -> l.contains(" --topic staging." + t.name() + " "));
        }
        List<String> topicAcls = lines.stream().filter(l -> l.startsWith("kafka-acls.sh") && l.contains(" --topic ")).toList();
        assertThat(topicAcls).isNotEmpty().allMatch(l -> l.contains(" --topic staging.vigil.") || l.contains("--resource-pattern-type prefixed --topic vigil-staging-streams-"));
        assertThat(lines).contains("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --add --allow-principal User:vigil-streams "
                + "--operation Write --topic staging.vigil.alerts");
    }

    @Test
    void anIllegalTopicPrefixIsRefusedNamingTheFlag() {
        assertThat(vigil("topics", "plan", "--topic-prefix", "staging/")).isNotZero();
        assertThat(err.toString()).contains("--topic-prefix").contains("staging/");
        assertThat(out.toString()).doesNotContain("kafka-topics.sh");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStrimziPlanIsOneKafkaTopicPerTopicAndOneKafkaUserPerService() {
        assertThat(vigil("topics", "plan", "--format", "strimzi", "--cluster", "prod")).as(err.toString()).isZero();
        List<Map<String, Object>> docs = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out.toString()).forEach(d -> docs.add((Map<String, Object>) d));
        List<Map<String, Object>> topics = docs.stream().filter(d -> "KafkaTopic".equals(d.get("kind"))).toList();
        assertThat(topics).hasSize(Topics.all().size());
        for (Topic<?, ?> t : Topics.all()) {
            Map<String, Object> doc = topics.stream().filter(d -> ((Map<String, Object>) d.get("metadata")).get("name").equals(t.name())).findFirst().orElseThrow();
            Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
            assertThat(spec.get("partitions")).isEqualTo(t.spec().partitions());
            assertThat((Map<String, Object>) spec.get("config")).containsAllEntriesOf(t.spec().configs());
            assertThat(((Map<String, Object>) doc.get("metadata")).get("labels")).isEqualTo(Map.of("strimzi.io/cluster", "prod"));
        }
        List<Map<String, Object>> users = docs.stream().filter(d -> "KafkaUser".equals(d.get("kind"))).toList();
        assertThat(users).extracting(d -> ((Map<String, Object>) d.get("metadata")).get("name")).containsExactly("vigil-ingest", "vigil-streams", "vigil-alerts");
        assertThat(out.toString()).contains("- resource: {type: transactionalId, name: vigil-streams, patternType: prefixed}");
    }

    @Test
    void aSecondDeploymentsAclsNameItsOwnGroupsAndTransactionalIds() {
        assertThat(vigil("topics", "plan", "--id-prefix", "staging")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("--operation Read --group staging-ingest", "--operation Read --group staging-alerts",
                "--operation All --resource-pattern-type prefixed --topic staging-streams-",
                "--operation Write --resource-pattern-type prefixed --transactional-id staging-streams").doesNotContain("--group vigil-");
        assertThat(vigil("topics", "plan", "--id-prefix", "no spaces")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("--id-prefix").contains("expected 1 to 100 letters, digits, '.', '_' or '-', found 'no spaces' (' ' is not one)");
    }

    @Test
    void anUnknownServiceOrFormatIsInvalid() {
        assertThat(vigil("topics", "plan", "--principal", "status=User:x")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("--principal: expected ingest, streams or alerts");
        assertThat(vigil("topics", "plan", "--format", "helm")).isEqualTo(Vigil.EXIT_INVALID);
    }
}
