package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.IngestService;
import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest instances share the feeds through the consumer group on {@code vigil.ingest.state}:
 * two instances split them without polling any twice, the feeds of an instance killed without
 * warning move to the survivor, and a restarted instance re-emits nothing already published.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class IngestAssignmentIT {

    static final int FEEDS = 24;

    @TempDir
    static Path kafkaDir;

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

    static dev.vigil.ingest.IngestSettings settings(String bootstrap, String group, URI base, int count) {
        return IngestChild.settings(bootstrap, group, base, count);
    }

    /** Feeds /f0.rss ... each listing two stories; counts polls per feed. */
    static final class Outlets implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicLong> polls = new ConcurrentHashMap<>();

        Outlets() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                if (path.endsWith(".rss")) {
                    String n = path.substring(2, path.length() - 4);
                    polls.computeIfAbsent(n, k -> new AtomicLong()).incrementAndGet();
                    String base = "http://127.0.0.1:" + server.getAddress().getPort();
                    Replies.send(ex, 200, "application/rss+xml", "<rss version=\"2.0\"><channel><title>Outlet " + n + "</title><link>" + base
                            + "</link><description>d</description>"
                            + "<item><guid>f" + n + "-1</guid><title>Story one of " + n + "</title><link>" + base + "/p/" + n + "-1</link>"
                            + "<description>Summary one.</description><pubDate>Sun, 16 Nov 2025 10:00:00 GMT</pubDate></item>"
                            + "<item><guid>f" + n + "-2</guid><title>Story two of " + n + "</title><link>" + base + "/p/" + n + "-2</link>"
                            + "<description>Summary two.</description><pubDate>Sun, 16 Nov 2025 11:00:00 GMT</pubDate></item></channel></rss>");
                } else if (path.startsWith("/p/")) {
                    Replies.send(ex, 200, "text/html", "<html><body><article><p>" + "The story is told at length here, sentence after sentence. ".repeat(8)
                            + "</p></article></body></html>");
                } else {
                    Replies.send(ex, 404, "text/plain", "not found");
                }
            });
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        long polls(int feed) {
            AtomicLong n = polls.get(String.valueOf(feed));
            return n == null ? 0 : n.get();
        }

        Map<Integer, Long> snapshot() {
            Map<Integer, Long> out = new HashMap<>();
            for (int i = 0; i < FEEDS; i++) {
                out.put(i, polls(i));
            }
            return out;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void instancesShareFeedsAKilledInstancesFeedsMoveAndARestartReEmitsNothing() throws Exception {
        String group = "it-ingest-" + UUID.randomUUID();
        String bootstrap = kafka.bootstrapServers();
        long articlesBefore = keys(Topics.ARTICLES.name()).size();
        try (Outlets outlets = new Outlets()) {
            Process child = startChild(bootstrap, group, outlets.base());
            IngestService survivor = new IngestService(settings(bootstrap, group, outlets.base(), FEEDS), new SimpleMeterRegistry(), Clock.systemUTC());
            try {
                survivor.start();
                // the group splits the feeds: each instance polls some, none is left out
                Await.until(Duration.ofSeconds(90), "both instances polling a share of the feeds",
                        () -> survivor.ownedFeeds() > 0 && survivor.ownedFeeds() < FEEDS && outlets.snapshot().values().stream().allMatch(n -> n > 0));
                Await.until(Duration.ofSeconds(60), "every story published", () -> keys(Topics.ARTICLES.name()).size() - articlesBefore >= 2 * FEEDS);
                Await.until(Duration.ofSeconds(60), "every feed's state recorded", () -> stateKeys(group).size() >= FEEDS);

                // no feed is polled by both: each feed is polled at most once per 0.9 s (a fixed 1 s interval with
                // ±10% jitter, the next poll scheduled after the last one ends), so over T seconds at most T/0.9 + 2
                // polls (one more for a partition moving meanwhile); two pollers of one feed would make about 2T
                Set<FeedId> mine = new HashSet<>(survivor.feedStates().stream().map(FeedState::feed).toList());
                assertThat(mine).hasSize(survivor.ownedFeeds());
                Map<Integer, Long> before = outlets.snapshot();
                long t0 = System.nanoTime();
                Await.until(Duration.ofSeconds(30), "a few more polls", () -> outlets.snapshot().entrySet().stream().allMatch(e -> e.getValue() >= before.get(e.getKey()) + 3));
                Map<Integer, Long> after = outlets.snapshot();
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(after).allSatisfy((feed, polls) -> assertThat(polls - before.get(feed))
                        .as("polls of feed %d in %.1f s: a feed polled by two instances is polled twice as often", feed, seconds)
                        .isLessThanOrEqualTo((long) Math.floor(seconds / 0.9) + 2));

                // kill the other instance without warning: its feeds move here after the session timeout
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Map<Integer, Long> atKill = outlets.snapshot();
                Await.until(Duration.ofSeconds(60), "the survivor polling every feed", () -> survivor.ownedFeeds() == FEEDS);
                Await.until(Duration.ofSeconds(30), "every feed polled again after the kill",
                        () -> outlets.snapshot().entrySet().stream().allMatch(e -> e.getValue() > atKill.get(e.getKey())));
            } finally {
                child.destroyForcibly();
                survivor.close();
            }
            assertThat(keys(Topics.ARTICLES.name()).size() - articlesBefore).as("each story once, through the split and the move").isEqualTo(2 * FEEDS);
            List<String> all = allKeys(Topics.ARTICLES.name());
            assertThat(all).doesNotHaveDuplicates();

            // a restart re-emits nothing: a new instance of the group resumes from the saved state
            IngestService restarted = new IngestService(settings(bootstrap, group, outlets.base(), FEEDS), new SimpleMeterRegistry(), Clock.systemUTC());
            try {
                restarted.start();
                Map<Integer, Long> atRestart = outlets.snapshot();
                Await.until(Duration.ofSeconds(60), "every feed polled after the restart",
                        () -> restarted.ownedFeeds() == FEEDS && outlets.snapshot().entrySet().stream().allMatch(e -> e.getValue() > atRestart.get(e.getKey())));
            } finally {
                restarted.close();
            }
            assertThat(allKeys(Topics.ARTICLES.name())).hasSize(all.size());
        }
    }

    private static Process startChild(String bootstrap, String group, URI base) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), IngestChild.class.getName(),
                bootstrap, group, base.toString(), String.valueOf(FEEDS));
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File("target/ingest-child-" + group + ".log"));
        return pb.start();
    }

    private static Set<String> keys(String topic) {
        return new HashSet<>(allKeys(topic));
    }

    private static Set<String> stateKeys(String group) {
        return keys(Topics.INGEST_STATE.name());
    }

    /** Every key on a topic, from the beginning, in offset order per partition. */
    static List<String> allKeys(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
