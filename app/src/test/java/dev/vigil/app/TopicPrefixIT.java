package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.Routing;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Alert;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.net.Cidr;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two deployments share one real broker, told apart by their topic prefix and id prefix: the
 * escalation stories fed to one raise alerts on its own prefixed topics and reach its own
 * receiver, and the other, running beside it, sees none of it.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TopicPrefixIT {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // the processes only need closing; the test talks to them through Kafka and the receivers
    void twoDeploymentsShareACluster() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             WebhookReceiver blueHook = new WebhookReceiver();
             WebhookReceiver greenHook = new WebhookReceiver();
             VigilProcess blue = new VigilProcess("all");
             VigilProcess green = new VigilProcess("all")) {
            String bootstrap = kafka.bootstrapServers();
            // each deployment's connection comes from its own flags, as `vigil run` builds it
            KafkaConnection blueKafka = connection(bootstrap, "blue.");
            KafkaConnection greenKafka = connection(bootstrap, "green.");
            assertThat(blueKafka.topicPrefix()).isEqualTo("blue.");
            start(green, greenKafka, "green", greenHook);
            start(blue, blueKafka, "blue", blueHook);
            DemoServer server = blue.add(new DemoServer(DemoScenario.load(), 3600.0 / 0.02, Clock.systemUTC(), item -> { }));
            blue.startIngest(DemoServer.ingestSettings(blueKafka, server.feeds(Duration.ofSeconds(1))).withGroup("blue-ingest", Duration.ofSeconds(10)));

            Await.until(Duration.ofSeconds(90), "an alert at blue's webhook", () -> !blueHook.alerts().isEmpty());
            assertThat(KafkaProbe.committedCount(bootstrap, Topics.ARTICLES.prefixed("blue."))).isPositive();
            List<Alert> onBlue = KafkaProbe.committedValues(bootstrap, Topics.ALERTS.prefixed("blue."));
            assertThat(onBlue).extracting(a -> a.data().topic()).contains(PipelineScenario.VENEZUELA);

            // green's streams has read everything on its own topics (nothing), and nothing of blue's reached it
            Await.until(Duration.ofSeconds(60), "green's streams to be caught up", () -> KafkaProbe.streamsCaughtUp(bootstrap, "green-streams", "green."));
            assertThat(KafkaProbe.committedCount(bootstrap, Topics.ARTICLES.prefixed("green."))).isZero();
            assertThat(KafkaProbe.committedCount(bootstrap, Topics.ALERTS.prefixed("green."))).isZero();
            assertThat(greenHook.alerts()).isEmpty();
            // and no deployment wrote Vigil's unprefixed topics
            try (var admin = TopicAdmin.admin(KafkaConnection.to(bootstrap))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .contains("blue.vigil.alerts", "green.vigil.alerts", "blue.vigil.articles.dlq")
                        .doesNotContain(Topics.ALERTS.name(), Topics.ARTICLES.name());
            }

            // the CLI checks one deployment's topics by its prefix; a prefix nobody used lacks them all
            CliRun check = CliRun.vigil(Map.of(), "topics", "check", "--bootstrap-servers", bootstrap, "--topic-prefix", "green.");
            assertThat(check.exit()).as(check.err()).isZero();
            assertThat(check.out()).contains("all " + Topics.all().size() + " topics as planned");
            CliRun other = CliRun.vigil(Map.of(), "topics", "check", "--bootstrap-servers", bootstrap, "--topic-prefix", "red.");
            assertThat(other.exit()).isEqualTo(Vigil.EXIT_FAILED);
            assertThat(other.out()).contains("red.vigil.alerts: missing");
        }
    }

    /** The connection `--bootstrap-servers B --topic-prefix P` gives, through the settings every command uses. */
    private static KafkaConnection connection(String bootstrap, String topicPrefix) {
        return dev.vigil.app.config.Settings.load(null, Map.of()).kafka(bootstrap, null, topicPrefix).orElseThrow();
    }

    private void start(VigilProcess process, KafkaConnection kafka, String idPrefix, WebhookReceiver hook) {
        process.connect(kafka, true, EnumSet.allOf(ClusterAccess.Service.class), idPrefix, "127.0.0.1", -1);
        process.startStreams(new StreamsSettings(kafka, ClusterAccess.Service.STREAMS.group(idPrefix), dir.resolve(idPrefix + "-streams"),
                Duration.ofSeconds(10), Map.of()), RulesLoader.loadDefault());
        Routing routing = Routing.empty().withCatchAll(Receiver.Webhook.unsigned(new ReceiverName(idPrefix + "-hook"), hook.uri()))
                .withEgressAllow(List.of(Cidr.parse("127.0.0.1/32")));   // the test receivers listen on loopback
        process.startAlerts(AlertsSettings.of(kafka, routing).withGroupId(ClusterAccess.Service.ALERTS.group(idPrefix)),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (r, a) -> { });
    }
}
