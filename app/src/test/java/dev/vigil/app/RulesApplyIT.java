package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import dev.vigil.model.RulesRelease;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topics;
import dev.vigil.streams.StreamsMetrics;
import dev.vigil.streams.StreamsService;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil rules apply} against a running streams service on a real broker: the new rules are
 * in force without a restart, stamped on what is tagged after, and an invalid file never reaches
 * {@code vigil.rules}.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RulesApplyIT {

    static final String GUYANA_RULES = """
            topics:
              guyana:
                any: [Guyana, Essequibo]
            signals:
              troops:
                weight: 2
                any: [troops, soldier]
            """;

    @TempDir
    static Path kafkaDir;

    @TempDir
    Path dir;

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(kafkaDir, 0);
        TopicAdmin.ensureTopics(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void appliedRulesAreInForceWithoutARestartAndInvalidOnesNeverReachTheTopic() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Path guyana = Files.writeString(dir.resolve("guyana.yaml"), GUYANA_RULES);
        Path broken = Files.writeString(dir.resolve("broken.yaml"), GUYANA_RULES.replace("weight: 2", "weight: heavy"));
        String defaultVersion = RulesLoader.loadDefault().version();

        try (VigilProcess process = new VigilProcess("streams");
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
             KafkaConsumer<byte[], byte[]> tagged = consumer(bootstrap, Topics.ARTICLES_TAGGED.name())) {
            StreamsService streams = process.startStreams(new StreamsSettings(bootstrap, "it-" + UUID.randomUUID(), dir.resolve("streams"),
                    Duration.ofSeconds(10), Map.of()), RulesLoader.loadDefault());
            List<TaggedArticle> seen = new ArrayList<>();
            Map<Integer, List<TaggedArticle>> byPartition = new java.util.TreeMap<>();
            int[] sent = {0};
            Runnable flow = () -> {
                send(producer, sent[0]++);
                for (ConsumerRecord<byte[], byte[]> r : tagged.poll(Duration.ofMillis(100))) {
                    TaggedArticle t = Topics.ARTICLES_TAGGED.value(r.value());
                    seen.add(t);
                    byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(t);
                }
            };

            Await.until(Duration.ofSeconds(60), "articles tagged with the start-up rules", () -> {
                flow.run();
                return seen.stream().anyMatch(t -> t.rulesVersion().equals(defaultVersion));
            });

            assertThat(vigil("rules", "apply", guyana.toString(), "--comment", "watch the Essequibo", "--author", "ana",
                    "--bootstrap-servers", bootstrap)).as(err.toString()).isZero();
            assertThat(out.toString()).contains("as v1 sha256:");

            Await.until(Duration.ofSeconds(60), "articles tagged with release v1", () -> {
                flow.run();
                return seen.stream().anyMatch(t -> t.rulesVersion().startsWith("v1 "));
            });
            TaggedArticle after = seen.stream().filter(t -> t.rulesVersion().startsWith("v1 ")).findFirst().orElseThrow();
            assertThat(after.matches()).extracting(m -> m.topic().value()).containsExactly("guyana");
            assertThat(streams.isRunning()).as("the same streams instance, never restarted").isTrue();
            assertThat(process.registry().get(StreamsMetrics.RULES_VERSION).gauge().value()).isEqualTo(1.0);
            assertThat(process.registry().get(StreamsMetrics.RULES_RELOAD_OK).gauge().value()).isEqualTo(1.0);
            // in each partition (the order streams processed them; across partitions the stream threads
            // interleave), every article after the first v1 one is tagged with v1: the switch is whole and final
            byPartition.forEach((partition, list) -> {
                int first = 0;
                while (first < list.size() && !list.get(first).rulesVersion().startsWith("v1 ")) {
                    first++;
                }
                assertThat(list.subList(first, list.size())).as("partition " + partition)
                        .allSatisfy(t -> assertThat(t.rulesVersion()).startsWith("v1 "));
            });

            long releases = records(bootstrap);
            assertThat(vigil("rules", "apply", broken.toString(), "--bootstrap-servers", bootstrap)).isEqualTo(Vigil.EXIT_INVALID);
            assertThat(err.toString()).contains(broken + ":6:13: signals.troops.weight: expected a number, found 'heavy'");
            assertThat(vigil("rules", "apply", guyana.toString(), "--bootstrap-servers", bootstrap)).isZero();
            assertThat(out.toString()).contains("already in force as v1");
            assertThat(records(bootstrap)).as("neither the invalid file nor a repeat was published").isEqualTo(releases).isEqualTo(1);
            assertThat(streams.rulesInForce().version()).startsWith("v1 ");
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, int n) {
        Instant now = Instant.now();
        Article a = new Article(Article.SCHEMA_VERSION, new ArticleId("it-" + n), new FeedId("outlet"), "Outlet", "https://news.example/" + n,
                "Guyana moves troops to the Essequibo border", "Soldiers were seen along the river.", Article.TextOrigin.EXTRACTED, now, now, "en");
        producer.send(Topics.ARTICLES.record(a.id(), a));
        producer.flush();
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }

    /** Releases on vigil.rules, counted by reading them. */
    private static long records(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, Topics.RULES.name())) {
            long n = 0;
            long deadline = System.currentTimeMillis() + 10_000;
            Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
            while (System.currentTimeMillis() < deadline && c.assignment().stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    assertThat(Topics.RULES.value(r.value()).version()).isPositive();
                    assertThat(r.key()).asString().isEqualTo(RulesRelease.KEY);
                    n++;
                }
            }
            return n;
        }
    }
}
