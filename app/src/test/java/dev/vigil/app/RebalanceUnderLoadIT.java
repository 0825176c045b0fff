package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.Topics;
import dev.vigil.streams.StreamsService;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three streams instances share the work on the embedded broker; while articles flow and alerts are
 * decided, one of them is stopped (as a scale-down or a deploy would) and a fourth one started, so
 * tasks move twice under load. {@code vigil.alerts}, read with read_committed, must then hold exactly
 * the alert events the same input yields without a fault, and no partition may stall for the session
 * timeout: a stopped instance leaves the group.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RebalanceUnderLoadIT {

    /** The consumer's default {@code session.timeout.ms}, which Vigil leaves as it is. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private RuleSet rules;

    /** One instance in this JVM with its own state directory and the product's settings (the default 45 s session timeout included). */
    private StreamsService instance(String bootstrap, String name) {
        StreamsService s = new StreamsService(StreamsSettings.of(bootstrap, dir.resolve("state-" + name)), rules, new SimpleMeterRegistry());
        s.start();
        return s;
    }

    @Test
    void stoppingOneOfThreeInstancesAndStartingAnotherWhileArticlesFlowLosesAndDuplicatesNoAlertEvent() throws Exception {
        List<String> reference = FaultlessRun.decisions();
        Instant began = Instant.now();
        rules = RulesLoader.load(Files.writeString(dir.resolve("rules.yaml"), ExactlyOnceIT.RULES));
        List<Article> input = ExactlyOnceIT.input();

        List<StreamsService> running = new ArrayList<>();
        List<String> events = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap);
            try (TaggedWatcher tagged = new TaggedWatcher(bootstrap)) {
                for (String name : List.of("a", "b", "c")) {
                    running.add(instance(bootstrap, name));
                }
                Await.until(Duration.ofSeconds(90), "three instances RUNNING", () -> running.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING));

                AtomicInteger produced = new AtomicInteger();
                CompletableFuture<Void> flow = CompletableFuture.runAsync(() -> ExactlyOnceIT.produce(bootstrap, input, Duration.ofMillis(80), produced::incrementAndGet));

                Await.until(Duration.ofSeconds(60), "a third of the articles produced", () -> produced.get() >= input.size() / 3);
                StreamsService b = running.remove(1);
                b.close();
                events.add("b stopped after " + produced.get() + " articles, " + KafkaProbe.committedCount(bootstrap, Topics.ALERTS) + " alert events");

                Await.until(Duration.ofSeconds(60), "half of the articles produced", () -> produced.get() >= input.size() / 2);
                running.add(instance(bootstrap, "d"));
                events.add("d started after " + produced.get() + " articles, " + KafkaProbe.committedCount(bootstrap, Topics.ALERTS) + " alert events");

                flow.get(2, TimeUnit.MINUTES);
                assertThat(produced.get()).isEqualTo(input.size());
                Await.until(Duration.ofMinutes(2), "a, c and d RUNNING and everything processed", () -> running.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING)
                        && KafkaProbe.streamsCaughtUp(bootstrap, ExactlyOnceIT.APPLICATION_ID));
                ConsumerGroupDescription group = group(bootstrap);
                List<Alert> alerts = KafkaProbe.committedValues(bootstrap, Topics.ALERTS);
                List<String> decisions = ExactlyOnceIT.decisions(alerts);
                List<String> lost = new ArrayList<>(reference);
                decisions.forEach(lost::remove);
                int duplicated = alerts.size() - (int) alerts.stream().map(Alert::id).distinct().count();
                System.out.printf("FIGURES rebalance-under-load: %s; alert-events=%d expected=%d lost=%d duplicated=%d; "
                                + "longest-partition-gap-ms=%d (a partition of %s without output); group %s with %d members at the end; wall-ms=%d%n",
                        events, alerts.size(), reference.size(), lost.size(), duplicated, tagged.longestGap().toMillis(), Topics.ARTICLES_TAGGED.name(),
                        group.groupState(), group.members().size(), Duration.between(began, Instant.now()).toMillis());

                assertThat(group.members()).as("stream threads of a, c and d in the group").hasSize(3 * threadsPerInstance());
                // the stopped instance left the group: its partitions moved on at the rebalance, not after its session timed out
                assertThat(tagged.longestGap()).as("longest time a partition of %s went without output", Topics.ARTICLES_TAGGED.name())
                        .isLessThan(SESSION_TIMEOUT.dividedBy(2));
                assertThat(alerts).extracting(Alert::id).doesNotHaveDuplicates();
                assertThat(decisions).as("alert events after %s", events).isEqualTo(reference);
            } finally {
                running.forEach(StreamsService::close);
            }
        }
    }

    private static int threadsPerInstance() {
        return Integer.parseInt(String.valueOf(StreamsService.properties(StreamsSettings.of("unused:9092", Path.of("unused")))
                .get(org.apache.kafka.streams.StreamsConfig.NUM_STREAM_THREADS_CONFIG)));
    }

    private static ConsumerGroupDescription group(String bootstrap) throws InterruptedException, ExecutionException, TimeoutException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            return admin.describeConsumerGroups(List.of(ExactlyOnceIT.APPLICATION_ID)).all().get(10, TimeUnit.SECONDS).get(ExactlyOnceIT.APPLICATION_ID);
        }
    }
}
