package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A cluster where Vigil may not create topics: services verify instead, and {@code vigil topics check} says what differs. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TopicsOnAClusterIT {

    @TempDir
    Path dir;



    @Test
    void withoutTopicCreationAServiceRefusesToStartNamingTheMissingTopicAndTheCheckListsEveryDifference() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            KafkaConnection cluster = KafkaConnection.to(bootstrap);
            List<Topic<?, ?>> allButRules = Topics.all().stream().filter(t -> t != Topics.RULES).toList();
            TopicAdmin.ensureTopics(cluster, true, allButRules);

            Instant started = Instant.now();
            CliRun streams = CliRun.vigil(Map.of("VIGIL_CREATE_TOPICS", "false"), "streams", "--bootstrap-servers", bootstrap, "--http-port", "-1",
                    "--data-dir", dir.resolve("data").toString());
            assertThat(streams.exit()).isEqualTo(Vigil.EXIT_FAILED);
            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(30));
            assertThat(streams.err().strip()).isEqualTo("vigil: Kafka at " + bootstrap + " lacks the topic vigil.rules, and topics are not created here "
                    + "(--create-topics=false): `vigil topics plan` prints the commands that create them");
            // nothing was created behind the operator's back
            try (Admin admin = Admin.create(cluster.admin())) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(Topics.RULES.name());
                // an administrator creates it by hand, with the wrong cleanup policy
                admin.createTopics(List.of(new NewTopic(Topics.RULES.name(), Optional.of(1), Optional.empty()))).all().get(10, TimeUnit.SECONDS);
                // the broker learns of the new topic from the controller a moment later
                Await.until(Duration.ofSeconds(30), "vigil.rules listed", () -> {
                    try {
                        return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.RULES.name());
                    } catch (InterruptedException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        return false;
                    }
                });
            }

            CliRun check = CliRun.vigil(Map.of(), "topics", "check", "--bootstrap-servers", bootstrap);
            assertThat(check.exit()).as(check.err()).isEqualTo(Vigil.EXIT_FAILED);
            assertThat(check.out()).contains("vigil.rules: cleanup.policy is delete, expected compact", "1 difference; `vigil topics plan`");

            CliRun silences = CliRun.vigil(Map.of(), "silence", "list", "--bootstrap-servers", bootstrap, "--create-topics=false");
            assertThat(silences.exit()).as("every topic exists now: verifying is enough " + silences.err()).isZero();
        }
    }

    @Test
    void theCheckPassesOnTopicsVigilCreated() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers());
            CliRun check = CliRun.vigil(Map.of(), "topics", "check", "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(check.exit()).as(check.out() + check.err()).isZero();
            assertThat(check.out()).isEqualTo("all " + Topics.all().size() + " topics as planned" + System.lineSeparator());
        }
    }
}
