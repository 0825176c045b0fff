package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Alert;
import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import dev.vigil.model.Topics;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.VigilTopology;
import dev.vigil.streams.rules.RulesLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
        process.startAlerts(AlertsSettings.of(bootstrap, List.of(new AlertsSettings.Webhook("test-hook", receiver.uri()))).withGroupId(run + "-alerts"),
                console, a -> { });
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
            assertThat(alerts).extracting(a -> a.data().level()).containsSubsequence(Level.ELEVATED, Level.HIGH, Level.CRITICAL);
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
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("== ALERT venezuela ELEVATED");
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
                    () -> committedRecords(Topics.ARTICLES_TAGGED.name()) >= distractors.items().size());
            Await.until(Duration.ofSeconds(60), "streams to have processed everything it read", () -> caughtUp(run));

            assertThat(committedRecords(Topics.ARTICLES_TAGGED.name())).isEqualTo(distractors.items().size());
            assertThat(committedRecords(Topics.ALERTS.name())).isZero();
            assertThat(committedRecords(Topics.SCORES.name())).isZero();
            assertThat(receiver.alerts()).isEmpty();
        }
    }

    /** Committed records on a topic (read_committed end offsets minus start offsets). */
    long committedRecords(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long count = 0;
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            // transaction markers take offsets too: count records by reading them
            for (TopicPartition tp : partitions) {
                c.seek(tp, c.beginningOffsets(List.of(tp)).get(tp));
            }
            long deadline = System.currentTimeMillis() + 10_000;
            Map<TopicPartition, Long> position = new HashMap<>();
            while (System.currentTimeMillis() < deadline) {
                count += c.poll(Duration.ofMillis(200)).count();
                partitions.forEach(tp -> position.put(tp, c.position(tp)));
                if (partitions.stream().allMatch(tp -> position.get(tp) >= end.get(tp))) {
                    break;
                }
            }
            return count;
        }
    }

    /**
     * The streams application has committed offsets at the end of every partition it consumes:
     * vigil.articles and its own topic-hits repartition topic (a partition nobody wrote to ends at 0).
     */
    boolean caughtUp(String applicationId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<String> inputs = List.of(Topics.ARTICLES.name(), applicationId + "-" + VigilTopology.TOPIC_HITS + "-repartition");
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(inputs).allTopicNames().get(10, TimeUnit.SECONDS).values().forEach(d ->
                    d.partitions().forEach(info -> latest.put(new TopicPartition(d.name(), info.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return (c == null ? 0 : c.offset()) >= e.getValue().offset();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
