package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Topic;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.kafka.TopicReader;
import dev.vigil.model.kafka.TopicReader.Change;
import dev.vigil.model.kafka.TopicReader.Start;
import dev.vigil.model.kafka.TopicReader.Unreadable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model}'s {@link TopicReader} against the embedded broker (the model module has no
 * broker of its own): each start, "caught up" at the end offsets taken when it opened, tombstones,
 * unreadable records, a follow after the catch-up, a missing topic and a wakeup.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TopicReaderIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A value that does not decode: the value serde refuses it as a real serde refuses a foreign record. */
    private static final String UNREADABLE = "\u0000not-a-word";
    private static final Deserializer<String> WORDS = (topic, bytes) -> {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.equals(UNREADABLE)) {
            throw new SerializationException("not a word");
        }
        return s;
    };

    @TempDir
    static Path dir;
    static EmbeddedKafka broker;
    static KafkaConnection kafka;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        kafka = KafkaConnection.to(broker.bootstrapServers());
        Properties p = kafka.producer();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static Topic<String, String> topic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(kafka.admin())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
        }
        return new Topic<>(name, Serdes.String(), Serdes.serdeFrom(new StringSerializer(), WORDS));
    }

    private static void send(String topic, int partition, String key, String value, Instant at) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, at == null ? null : at.toEpochMilli(), key, value)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void readsACompactedTopicToItsEndThenFollowsItWithTombstonesAndUnreadableRecordsReported() throws Exception {
        Topic<String, String> topic = topic("reader-it.catalogue", 2);
        send(topic.name(), 0, "a", "alpha", null);
        send(topic.name(), 1, "b", "beta", null);
        send(topic.name(), 0, "c", UNREADABLE, null);
        send(topic.name(), 0, "a", null, null);
        List<Unreadable> unreadable = new CopyOnWriteArrayList<>();
        try (TopicReader<Change<String, String>> reader = TopicReader.changes(kafka, topic, "reader-it", Start.beginning(), TIMEOUT, unreadable::add)) {
            assertThat(reader.caughtUp()).isFalse();
            List<Change<String, String>> read = reader.readToEnd(TIMEOUT);
            assertThat(reader.caughtUp()).isTrue();
            assertThat(read).containsExactlyInAnyOrder(new Change<>(0, 0, "a", "alpha"), new Change<>(1, 0, "b", "beta"), new Change<>(0, 2, "a", null));
            // in order within a partition: the tombstone after the value it removes
            assertThat(read.stream().filter(c -> c.partition() == 0).map(Change::isTombstone)).containsExactly(false, true);
            assertThat(unreadable).containsExactly(new Unreadable(topic.name(), 0, 1, "not a word"));
            assertThat(unreadable.get(0)).hasToString("reader-it.catalogue-0@1: not a word");

            send(topic.name(), 1, "d", "delta", null);
            List<Change<String, String>> followed = new ArrayList<>();
            Await.until(TIMEOUT, "the record written after the catch-up", () -> {
                followed.addAll(reader.poll(Duration.ofMillis(200)));
                return !followed.isEmpty();
            });
            assertThat(followed).containsExactly(new Change<>(1, 1, "d", "delta"));
        }
    }

    @Test
    void isCaughtUpAtWhatWasCommittedWhenItOpenedThenFollowsATransactionCommittedLater() throws Exception {
        Topic<String, String> topic = topic("reader-it.transactions", 1);
        send(topic.name(), 0, "k", "before", null);
        Properties p = kafka.producer();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reader-it");
        try (KafkaProducer<String, String> tx = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(topic.name(), 0, "k", "pending")).get(30, TimeUnit.SECONDS);
            try (TopicReader<ConsumerRecord<byte[], byte[]>> reader = TopicReader.records(kafka, topic, "reader-it", Start.beginning(), TIMEOUT)) {
                // the open transaction is not waited for: its record is past the last stable offset taken at the start
                List<ConsumerRecord<byte[], byte[]>> read = reader.readToEnd(Duration.ofSeconds(10));
                assertThat(read).map(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("before");
                assertThat(read.get(0).key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));

                tx.commitTransaction();
                List<ConsumerRecord<byte[], byte[]>> followed = new ArrayList<>();
                Await.until(TIMEOUT, "the committed transaction's record", () -> {
                    followed.addAll(reader.poll(Duration.ofMillis(200)));
                    return !followed.isEmpty();
                });
                assertThat(followed).map(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("pending");
            }
        }
    }

    @Test
    void startsAtTheLastRecordsOfEachPartition() throws Exception {
        Topic<String, String> topic = topic("reader-it.last", 2);
        for (int i = 0; i < 6; i++) {
            send(topic.name(), 0, "p0-" + i, "v" + i, null);
        }
        send(topic.name(), 1, "p1-0", "only", null);
        try (TopicReader<Change<String, String>> reader = TopicReader.changes(kafka, topic, "reader-it", Start.last(2), TIMEOUT, bad -> { })) {
            assertThat(reader.readToEnd(TIMEOUT)).map(Change::key).containsExactlyInAnyOrder("p0-4", "p0-5", "p1-0");
        }
    }

    @Test
    void startsAtATimeAndAtTheEndWhenNothingIsThatRecent() throws Exception {
        Topic<String, String> topic = topic("reader-it.since", 1);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        send(topic.name(), 0, "old", "x", t.minusSeconds(3600));
        send(topic.name(), 0, "new", "y", t);
        send(topic.name(), 0, "newer", "z", t.plusSeconds(60));
        try (TopicReader<Change<String, String>> reader = TopicReader.changes(kafka, topic, "reader-it", Start.since(t), TIMEOUT, bad -> { })) {
            assertThat(reader.readToEnd(TIMEOUT)).map(Change::key).containsExactly("new", "newer");
        }
        try (TopicReader<Change<String, String>> reader = TopicReader.changes(kafka, topic, "reader-it", Start.since(t.plusSeconds(3600)), TIMEOUT, bad -> { })) {
            assertThat(reader.caughtUp()).isTrue();
            assertThat(reader.poll(Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void refusesATopicThatDoesNotExist() {
        Topic<String, String> missing = new Topic<>("reader-it.missing", Serdes.String(), Serdes.String());
        assertThatThrownBy(() -> TopicReader.records(kafka, missing, "reader-it", Start.beginning(), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic reader-it.missing does not exist at " + broker.bootstrapServers());
    }

    @Test
    void aWakeupEndsAPollInProgress() throws Exception {
        Topic<String, String> topic = topic("reader-it.quiet", 1);
        try (TopicReader<ConsumerRecord<byte[], byte[]>> reader = TopicReader.records(kafka, topic, "reader-it", Start.beginning(), TIMEOUT)) {
            CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    reader.poll(Duration.ofMinutes(1));
                    return null;
                } catch (WakeupException e) {
                    return e;
                }
            });
            reader.wakeup();
            assertThat(ended.get(30, TimeUnit.SECONDS)).isInstanceOf(WakeupException.class);
        }
    }
}
