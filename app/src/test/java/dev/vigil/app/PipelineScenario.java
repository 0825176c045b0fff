package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.Routing;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Alert;
import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import dev.vigil.model.Topics;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import dev.vigil.model.net.Cidr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end scenarios, run against whatever Kafka a subclass provides: a loopback server
 * plays the demo's outlets, all three services run, and a loopback webhook receives the alerts.
 */
abstract class PipelineScenario {

    static final TopicName VENEZUELA = new TopicName("venezuela");
    /** Outlets whose stories only use the watched words in other senses. */
    static final Set<String> DISTRACTOR_OUTLETS = Set.of("labour", "markets", "diamond");

    @TempDir
    Path dir;

    /** Kafka's bootstrap servers for this run. */
    abstract String bootstrapServers();

    private DemoScenario scenario(boolean distractorsOnly) {
        DemoScenario all = DemoScenario.load();
        if (!distractorsOnly) {
            return all;
        }
        return new DemoScenario(all.outlets(), all.items().stream().filter(i -> DISTRACTOR_OUTLETS.contains(i.outlet())).toList());
    }

    /** Starts the pipeline on a scenario; returns the process (closed by the caller). */
    private VigilProcess start(DemoScenario scenario, String run, WebhookReceiver receiver, PrintStream console) throws Exception {
        String bootstrap = bootstrapServers();
        VigilProcess process = new VigilProcess("all");
        try {
            return startIn(process, bootstrap, scenario, run, receiver, console);
        } catch (Exception | AssertionError e) {
            process.close();
            throw e;
        }
    }

    private VigilProcess startIn(VigilProcess process, String bootstrap, DemoScenario scenario, String run, WebhookReceiver receiver, PrintStream console) throws Exception {
        TopicAdmin.ensureTopics(bootstrap);
        process.startStreams(new StreamsSettings(bootstrap, run, dir.resolve("streams"), Duration.ofSeconds(10), Map.of()), RulesLoader.loadDefault());
        Routing routing = Routing.empty().withCatchAll(new Receiver.Console(new ReceiverName("console")))
                .withCatchAll(Receiver.Webhook.unsigned(new ReceiverName("test-hook"), receiver.uri()))
                .withEgressAllow(List.of(Cidr.parse("127.0.0.1/32")));   // the test receiver listens on loopback
        process.startAlerts(AlertsSettings.of(bootstrap, routing).withGroupId(run + "-alerts"), console, (r, a) -> { });
        // the whole scenario clock passes in well under a second
        DemoServer server = process.add(new DemoServer(scenario, 3600.0 / 0.02, Clock.systemUTC(), item -> { }));
        process.startIngest(DemoServer.ingestSettings(bootstrap, server.feeds(Duration.ofSeconds(1))));
        return process;
    }

    @Test
    @SuppressWarnings("try") // the process only needs closing; the test talks to it through Kafka
    void venezuelaAlertArrivesWithItsEvidence() throws Exception {
        String run = "it-" + UUID.randomUUID();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (WebhookReceiver receiver = new WebhookReceiver();
             VigilProcess process = start(scenario(false), run, receiver, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            Await.until(Duration.ofSeconds(90), "a critical venezuela alert at the webhook",
                    () -> receiver.alerts().stream().anyMatch(a -> a.data().level() == Level.CRITICAL));

            List<Alert> alerts = receiver.alerts();
            assertThat(alerts).extracting(a -> a.data().topic()).containsOnly(VENEZUELA);
            // the stories reach streams in whatever batches the polls make, so the climb may skip a level; it never goes back
            List<Level> levels = alerts.stream().map(a -> a.data().level()).toList();
            assertThat(levels).isSorted().endsWith(Level.CRITICAL);
            assertThat(alerts.get(0).data().previousLevel()).isEqualTo(Level.NORMAL);
            assertThat(alerts).extracting(Alert::id).doesNotHaveDuplicates();
            Alert first = alerts.get(0);
            assertThat(first.data().transition()).isEqualTo(Alert.Transition.FIRING);
            assertThat(first.data().score()).isGreaterThanOrEqualTo(first.data().thresholds().get(Level.ELEVATED));
            assertThat(first.data().stories()).isNotEmpty().allSatisfy(story -> {
                assertThat(story.url()).startsWith("http://127.0.0.1:");
                assertThat(story.source()).isNotBlank();
                assertThat(story.evidence()).isNotEmpty();
                assertThat(story.signals()).isNotEmpty();
            });
            // distractors never make it into the evidence
            assertThat(alerts).flatMap(a -> a.data().stories()).extracting(Alert.Story::url)
                    .noneMatch(url -> DISTRACTOR_OUTLETS.stream().anyMatch(o -> url.contains("/" + o + "/")));
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("== ALERT venezuela " + first.data().level().name());
        }
    }

    @Test
    @SuppressWarnings("try")
    void distractorsAloneRaiseNothing() throws Exception {
        String run = "it-" + UUID.randomUUID();
        DemoScenario distractors = scenario(true);
        try (WebhookReceiver receiver = new WebhookReceiver();
             VigilProcess process = start(distractors, run, receiver, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            Await.until(Duration.ofSeconds(90), "all " + distractors.items().size() + " distractor articles tagged",
                    () -> KafkaProbe.committedCount(bootstrapServers(), Topics.ARTICLES_TAGGED) >= distractors.items().size());
            Await.until(Duration.ofSeconds(60), "streams to have processed everything it read", () -> KafkaProbe.streamsCaughtUp(bootstrapServers(), run));

            assertThat(KafkaProbe.committedCount(bootstrapServers(), Topics.ARTICLES_TAGGED)).isEqualTo(distractors.items().size());
            assertThat(KafkaProbe.committedCount(bootstrapServers(), Topics.ALERTS)).isZero();
            assertThat(KafkaProbe.committedCount(bootstrapServers(), Topics.SCORES)).isZero();
            assertThat(receiver.alerts()).isEmpty();
        }
    }
}
