package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import dev.vigil.model.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two streams instances share the work; while articles flow, one of them is killed hard (SIGKILL)
 * and restarted, three times. Afterwards {@code vigil.alerts}, read with read_committed, must hold
 * exactly the alert events a single undisturbed instance raises from the same input: none lost,
 * none duplicated.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ExactlyOnceIT {

    static final int TOPICS = 6;
    static final int ARTICLES_PER_TOPIC = 40;
    static final String APPLICATION_ID = "vigil-streams";

    /** Six watched topics, one signal of weight 1: each topic crosses 6, 15 and 30 as its articles arrive. */
    static final String RULES = """
            topics:
              t0: {any: [alpha0]}
              t1: {any: [alpha1]}
              t2: {any: [alpha2]}
              t3: {any: [alpha3]}
              t4: {any: [alpha4]}
              t5: {any: [alpha5]}
            signals:
              boom: {weight: 1, any: [boom]}
            alerting:
              window: 24h
              levels: {elevated: 6, high: 15, critical: 30}
            """;

    @TempDir
    Path dir;

    /** The same input for both runs: articles of the six topics interleaved, each its own story from its own outlet. */
    static List<Article> input() {
        Instant base = Instant.now().minus(Duration.ofHours(1));
        Random random = new Random(42);
        List<Article> out = new ArrayList<>();
        for (int i = 0; i < ARTICLES_PER_TOPIC; i++) {
            for (int t = 0; t < TOPICS; t++) {
                StringBuilder body = new StringBuilder("alpha" + t + " boom ");
                for (int w = 0; w < 40; w++) {
                    body.append("w").append(random.nextInt(10_000_000)).append(' ');
                }
                Instant at = base.plusSeconds(10L * i);
                out.add(new Article(Article.SCHEMA_VERSION, new ArticleId("a-" + t + "-" + i), new FeedId("load"), "outlet-" + t + "-" + i,
                        "https://load.example/" + t + "/" + i, "alpha" + t + " boom " + i, body.toString(), Article.TextOrigin.EXTRACTED, at, at, "en"));
            }
        }
        return out;
    }

    /** What identifies one decision independently of processing order: topic, change number, level, transition. */
    static List<String> decisions(List<Alert> alerts) {
        return alerts.stream().map(a -> a.data().topic() + "#" + a.data().change() + " " + a.data().level().wireName() + " " + a.data().transition().wireName())
                .sorted().toList();
    }

    @Test
    void hardKillsWhileArticlesFlowLoseAndDuplicateNothing() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        List<Article> input = input();
        List<String> reference = FaultlessRun.decisions();
        assertThat(reference).hasSize(TOPICS * 3);

        List<Alert> survived;
        List<String> killed = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka-kill"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap);
            ChildJvm[] instances = {instance(bootstrap, rules, 0, 0), instance(bootstrap, rules, 1, 0)};
            try {
                for (ChildJvm instance : instances) {
                    instance.awaitOutput("streams: REBALANCING -> RUNNING", Duration.ofSeconds(90));
                }
                AtomicInteger produced = new AtomicInteger();
                CompletableFuture<Void> flow = CompletableFuture.runAsync(() -> produce(bootstrap, input, Duration.ofMillis(80), produced::incrementAndGet));
                // kill instance 0, then 1, then 0 again, each while articles are flowing and after it has taken work
                int[] victims = {0, 1, 0};
                for (int k = 0; k < victims.length; k++) {
                    int atLeast = input.size() * (k + 1) / 5;
                    Await.until(Duration.ofSeconds(60), atLeast + " articles produced", () -> produced.get() >= atLeast);
                    ChildJvm victim = instances[victims[k]];
                    victim.awaitOutput("streams: REBALANCING -> RUNNING", Duration.ofSeconds(90));
                    assertThat(victim.isAlive()).isTrue();
                    victim.kill();
                    killed.add("instance " + victims[k] + " after " + produced.get() + " articles");
                    instances[victims[k]] = instance(bootstrap, rules, victims[k], k + 1);
                }
                flow.get(2, TimeUnit.MINUTES);
                assertThat(produced.get()).isEqualTo(input.size());
                Await.until(Duration.ofMinutes(3), "the surviving instances to process everything", () -> KafkaProbe.streamsCaughtUp(bootstrap, APPLICATION_ID));
                survived = KafkaProbe.committedValues(bootstrap, Topics.ALERTS);
            } finally {
                for (ChildJvm instance : instances) {
                    instance.close();
                }
            }
        }
        assertThat(killed).hasSize(3);
        assertThat(survived).extracting(Alert::id).doesNotHaveDuplicates();
        assertThat(decisions(survived)).as("alert events after %s", killed).isEqualTo(reference);
        LoggerFactory.getLogger(ExactlyOnceIT.class).info("exactly once: {} alert events from {} articles, as in the single-instance run, after hard kills of {}",
                survived.size(), input.size(), killed);
    }

    private ChildJvm instance(String bootstrap, Path rules, int n, int generation) throws IOException {
        Path log = dir.resolve("streams-" + n + "-" + generation + ".log");
        return ChildJvm.start(log, "streams", "--bootstrap-servers", bootstrap, "--rules", rules.toString(),
                "--data-dir", dir.resolve("instance-" + n).toString(), "--http-port", "-1",
                "--streams-property", "session.timeout.ms=6000", "--streams-property", "heartbeat.interval.ms=1500");
    }

    /** Sends the articles in order; {@code pause} paces them like a live feed, so kills land mid-flow. */
    static void produce(String bootstrap, List<Article> articles, Duration pause, Runnable afterEach) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Article a : articles) {
                producer.send(Topics.ARTICLES.record(a.id(), a));
                afterEach.run();
                if (!pause.isZero()) {
                    producer.flush();
                    LockSupport.parkNanos(pause.toNanos());
                }
            }
            producer.flush();
        }
    }
}
