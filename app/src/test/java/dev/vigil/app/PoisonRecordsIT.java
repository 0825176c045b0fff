package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.FeedId;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topics;
import dev.vigil.streams.StreamsMetrics;
import dev.vigil.streams.StreamsService;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Poison on {@code vigil.articles}, produced straight onto the topic as a clumsy or hostile
 * producer would: an article of about 1 MB (under the broker's limit, but its tagged record
 * would not be), and records that are not articles at all. Before the dead letters, the first
 * stopped Streams for good (ERROR, at the same offset after every restart) and the others
 * vanished. Now the big one is tagged with its text capped, the others land on
 * {@code vigil.articles.dlq} with their bytes and headers, where they came from and why; Streams
 * keeps running, and a restart on the same broker resumes with the next good article.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PoisonRecordsIT {

    @TempDir
    Path dir;

    /** An article whose JSON is {@code bytes} long (give or take a few), keyed by its id. */
    static ProducerRecord<byte[], byte[]> articleOfSize(String id, int bytes) {
        Article shell = article(id, "");
        int base = Topics.ARTICLES.valueSerde().serializer().serialize(Topics.ARTICLES.name(), shell).length;
        StringBuilder text = new StringBuilder(bytes);
        while (text.length() < bytes - base) {
            text.append("boat strike venezuela words ");
        }
        text.setLength(bytes - base);
        // straight through the serde: Topic.record refuses what is over Vigil's own limit, a foreign producer does not
        return raw(id, Topics.ARTICLES.valueSerde().serializer().serialize(Topics.ARTICLES.name(), article(id, text.toString())));
    }

    static Article article(String id, String text) {
        Instant now = Instant.now();
        return new Article(Article.SCHEMA_VERSION, new ArticleId(id), new FeedId("poison"), "Poison Post", "https://poison.example/" + id,
                "Headline " + id, text, Article.TextOrigin.EXTRACTED, now, now, "en");
    }

    static ProducerRecord<byte[], byte[]> raw(String key, byte[] value) {
        return new ProducerRecord<>(Topics.ARTICLES.name(), key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** The header a producer's tracing puts on a record; its dead letter must keep it, and a replay put it back. */
    static final Header TRACE = new RecordHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));

    /** {@code r} with {@link #TRACE}. */
    static ProducerRecord<byte[], byte[]> traced(ProducerRecord<byte[], byte[]> r) {
        return new ProducerRecord<>(r.topic(), null, r.key(), r.value(), List.of(TRACE));
    }

    private static List<String> headerTexts(List<Header> headers) {
        return headers.stream().map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)).toList();
    }

    /** What each bad record is, and the reason its dead letter must give. */
    static Map<String, ProducerRecord<byte[], byte[]>> badRecords() {
        Map<String, ProducerRecord<byte[], byte[]>> bad = new LinkedHashMap<>();
        bad.put(DeadLetter.Reason.NOT_JSON.wireName(), traced(raw("not-json", "this is not JSON {".getBytes(StandardCharsets.UTF_8))));
        bad.put(DeadLetter.Reason.EMPTY.wireName(), raw("empty", new byte[0]));
        bad.put("binary", raw("binary", new byte[] {0, (byte) 0xff, 0x13, 0x37, (byte) 0xc3, 0x28, 0, 1}));
        bad.put(DeadLetter.Reason.WRONG_TYPE.wireName(), raw("wrong-type",
                "{\"schemaVersion\":1,\"id\":\"w-1\",\"feed\":\"poison\",\"textOrigin\":\"EXTRACTED\",\"fetched\":{\"no\":\"instant\"}}".getBytes(StandardCharsets.UTF_8)));
        bad.put(DeadLetter.Reason.UNSUPPORTED_SCHEMA.wireName(), raw("future-schema",
                "{\"schemaVersion\":2,\"id\":\"f-1\",\"feed\":\"poison\",\"textOrigin\":\"EXTRACTED\",\"fetched\":\"2026-11-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8)));
        return bad;
    }

    @Test
    void poisonIsCappedOrDeadLetteredAndARestartResumes() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap);
            // a short session, so the restarted instance is not kept waiting for the old one's to expire
            StreamsSettings settings = StreamsSettings.of(bootstrap, dir.resolve("streams"))
                    .withOverrides(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500"));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();

            try (StreamsService streams = new StreamsService(settings, RulesLoader.loadDefault(), registry)) {
                streams.start();
                Await.until(Duration.ofSeconds(60), "streams to run", () -> streams.state() == KafkaStreams.State.RUNNING);
                ProducerRecord<byte[], byte[]> big = articleOfSize("big-1", 1_048_200);
                assertThat(big.value().length).isBetween(1_048_100, 1_048_300);
                List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
                first.add(big);
                first.addAll(badRecords().values());
                first.add(Topics.ARTICLES.record(new ArticleId("good-1"), article("good-1", "a good article after the poison")));
                produce(bootstrap, first);

                Await.until(Duration.ofSeconds(90), () -> "the good article after the poison to be tagged; streams is " + streams.state(),
                        () -> tagged(bootstrap).contains("good-1"));
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
                TaggedArticle bigTagged = KafkaProbe.committedValues(bootstrap, Topics.ARTICLES_TAGGED).stream()
                        .filter(t -> t.article().id().value().equals("big-1")).findFirst().orElseThrow();
                assertThat(bigTagged.article().truncated()).isTrue();
                assertThat(bigTagged.article().text()).hasSize(Article.MAX_TEXT_CHARS);

                Await.until(Duration.ofSeconds(30), "five dead letters", () -> deadLetters(bootstrap).size() >= badRecords().size());
                Map<String, ConsumerRecord<byte[], byte[]>> letters = new LinkedHashMap<>();
                deadLetters(bootstrap).forEach(r -> letters.put(new String(r.key(), StandardCharsets.UTF_8), r));
                assertThat(letters).containsOnlyKeys("not-json", "empty", "binary", "wrong-type", "future-schema");
                for (Map.Entry<String, ProducerRecord<byte[], byte[]>> bad : badRecords().entrySet()) {
                    String key = new String(bad.getValue().key(), StandardCharsets.UTF_8);
                    ConsumerRecord<byte[], byte[]> letter = letters.get(key);
                    assertThat(letter.value()).as("raw bytes of %s", key).isEqualTo(bad.getValue().value());
                    assertThat(header(letter, DeadLetter.TOPIC)).isEqualTo(Topics.ARTICLES.name());
                    assertThat(Integer.parseInt(header(letter, DeadLetter.PARTITION))).isBetween(0, 2);
                    assertThat(Long.parseLong(header(letter, DeadLetter.OFFSET))).isNotNegative();
                    assertThat(header(letter, DeadLetter.MESSAGE)).isNotBlank();
                    // the source's own headers, first and unchanged: the traced one's, and none (said so) for the others
                    assertThat(headerTexts(DeadLetter.sourceHeaders(letter.headers()))).as("headers kept of %s", key)
                            .isEqualTo(headerTexts(List.of(bad.getValue().headers().toArray())));
                    assertThat(header(letter, DeadLetter.HEADERS)).isEqualTo(String.valueOf(bad.getValue().headers().toArray().length));
                    if (!bad.getKey().equals("binary")) {
                        assertThat(header(letter, DeadLetter.REASON)).as("reason of %s", key).isEqualTo(bad.getKey());
                    }
                }
                assertThat(registry.find(StreamsMetrics.DEAD_LETTERS).counters().stream().mapToDouble(c -> c.count()).sum())
                        .isEqualTo(badRecords().size());
                assertThat(registry.find(StreamsMetrics.TRUNCATED).counter().count()).isEqualTo(1.0);
            }

            // a restart on the same broker and state: it must reach running and take the next good article
            try (StreamsService again = new StreamsService(settings, RulesLoader.loadDefault(), new SimpleMeterRegistry())) {
                again.start();
                Await.until(Duration.ofSeconds(60), () -> "the restarted streams to run; it is " + again.state(), () -> again.state() == KafkaStreams.State.RUNNING);
                produce(bootstrap, List.of(Topics.ARTICLES.record(new ArticleId("good-2"), article("good-2", "the next good article"))));
                Await.until(Duration.ofSeconds(90), () -> "the next good article after a restart; streams is " + again.state(),
                        () -> tagged(bootstrap).contains("good-2"));
                assertThat(again.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
                assertThat(deadLetters(bootstrap)).hasSize(badRecords().size());

                // vigil dlq list shows them; replaying the not_json ones writes them back, and Streams dead-letters them again
                StringWriter listed = new StringWriter();
                assertThat(vigil(listed, "dlq", "list", "--bootstrap-servers", bootstrap)).isZero();
                assertThat(listed.toString().lines()).hasSize(badRecords().size())
                        .anySatisfy(line -> assertThat(line).contains("\"reason\":\"unsupported_schema\"", "\"topic\":\"vigil.articles\"", "\"key\":\"future-schema\""))
                        .anySatisfy(line -> assertThat(line).contains("\"key\":\"not-json\"", "\"headers\":1"));
                StringWriter replayed = new StringWriter();
                assertThat(vigil(replayed, "dlq", "replay", "--bootstrap-servers", bootstrap, "--reason", "not_json")).isZero();
                assertThat(replayed.toString()).contains("replayed 2 dead letter(s)");
                Await.until(Duration.ofSeconds(60), "the replayed records dead-lettered again", () -> deadLetters(bootstrap).size() == badRecords().size() + 2);
                // the replay wrote the traced record back with its header, and its new dead letter keeps it again
                List<ConsumerRecord<byte[], byte[]>> backOnArticles = committed(bootstrap, Topics.ARTICLES.name()).stream()
                        .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals("not-json")).toList();
                assertThat(backOnArticles).hasSize(2).allSatisfy(r -> assertThat(headerTexts(List.of(r.headers().toArray()))).isEqualTo(headerTexts(List.of(TRACE))));
                assertThat(deadLetters(bootstrap).stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("not-json")))
                        .hasSize(2).allSatisfy(r -> assertThat(headerTexts(DeadLetter.sourceHeaders(r.headers()))).isEqualTo(headerTexts(List.of(TRACE))));
            }
            LoggerFactory.getLogger(PoisonRecordsIT.class).info("poison: 1 capped, {} dead-lettered, restart resumed", badRecords().size());
        }
    }

    /**
     * A record Kafka itself refuses (here: vigil.articles.tagged allows 20 kB a message, the
     * tagged article is 30 kB). Under exactly-once the refusal aborts the transaction whatever a
     * handler answers; the thread is replaced, and the article, read again, is dead-lettered.
     */
    @Test
    void aRecordKafkaRefusesIsDeadLetteredWhenReadAgain() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin a = Admin.create(admin)) {
                a.createTopics(List.of(new NewTopic(Topics.ARTICLES_TAGGED.name(), Optional.of(3), Optional.empty())
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "20000")))).all().get(30, TimeUnit.SECONDS);
            }
            TopicAdmin.ensureTopics(bootstrap);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            StreamsSettings settings = StreamsSettings.of(bootstrap, dir.resolve("streams"))
                    .withOverrides(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500"));
            try (StreamsService streams = new StreamsService(settings, RulesLoader.loadDefault(), registry)) {
                streams.start();
                Await.until(Duration.ofSeconds(60), "streams to run", () -> streams.state() == KafkaStreams.State.RUNNING);
                produce(bootstrap, List.of(traced(articleOfSize("refused-1", 30_000)),
                        Topics.ARTICLES.record(new ArticleId("good-3"), article("good-3", "a good article after the refused one"))));
                Await.until(Duration.ofSeconds(90), () -> "the good article after the refused one; streams is " + streams.state(),
                        () -> tagged(bootstrap).contains("good-3"));
                Await.until(Duration.ofSeconds(30), "the refused article's dead letter", () -> deadLetters(bootstrap).size() == 1);
                ConsumerRecord<byte[], byte[]> letter = deadLetters(bootstrap).get(0);
                assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("refused-1");
                assertThat(header(letter, DeadLetter.REASON)).isEqualTo("undeliverable");
                // the tagged record carried none of the source's headers; the dead letter keeps them all the same
                assertThat(headerTexts(DeadLetter.sourceHeaders(letter.headers()))).isEqualTo(headerTexts(List.of(TRACE)));
                assertThat(tagged(bootstrap)).doesNotContain("refused-1");
                Await.until(Duration.ofSeconds(30), () -> "streams to run again; it is " + streams.state(), () -> streams.state() == KafkaStreams.State.RUNNING);
                LoggerFactory.getLogger(PoisonRecordsIT.class).info("refused: dead-lettered as {}, streams {}", header(letter, DeadLetter.REASON), streams.state());
            }
        }
    }

    private static int vigil(StringWriter out, String... args) {
        CommandLine cli = Vigil.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    private static List<String> tagged(String bootstrap) {
        return KafkaProbe.committedValues(bootstrap, Topics.ARTICLES_TAGGED).stream().map(t -> t.article().id().value()).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Every committed record of the dead-letter topic, with its headers. */
    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String bootstrap) {
        return committed(bootstrap, Topics.ARTICLES_DLQ.name());
    }

    /** Every committed record of {@code topic}, with its headers. */
    private static List<ConsumerRecord<byte[], byte[]>> committed(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && !partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static void produce(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
