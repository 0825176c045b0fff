package dev.vigil.app.bench;

import dev.vigil.app.EmbeddedKafka;
import dev.vigil.app.TopicAdmin;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The streams load harness (BENCHMARKS.md): end to end through a real embedded broker, from
 * {@code vigil.articles} to decisions, with a synthetic rule set and 3–8 KB articles.
 *
 * <ol>
 *   <li>Throughput: N articles are written to {@code vigil.articles} first, then the streams
 *       service starts; articles/s = N / time until it has committed past all of them.</li>
 *   <li>Latency: articles flow at a fixed rate; every 50th is a probe about a topic no article
 *       has named before, heavy enough to fire an alert on its own. Latency = time from sending
 *       the probe to reading its alert with read_committed.</li>
 * </ol>
 *
 * <pre>
 * mvn -B -q -pl app -am test-compile exec:java -Dexec.mainClass=dev.vigil.app.bench.StreamsLoad -Dexec.args="--rules 1000 --articles 50000 --rate 500 --seconds 60"
 * </pre>
 */
public final class StreamsLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        int ruleCount = Integer.parseInt(a.getOrDefault("rules", "1000"));
        int articleCount = Integer.parseInt(a.getOrDefault("articles", "50000"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "500"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        String commitMs = a.getOrDefault("commit-ms", "");
        String threads = a.getOrDefault("threads", "");

        Path dir = Files.createTempDirectory("vigil-load");
        SyntheticNews news = new SyntheticNews(7);
        // probe topics count toward the rule total: N - probes - 1 synthetic rules, the probes, one probe signal
        String rulesText = withProbes(news.rules(ruleCount - PROBES - 1));
        long compileStart = System.nanoTime();
        RuleSet rules = RulesLoader.parse("synthetic " + ruleCount + " rules", rulesText);
        System.out.printf("rules: %d (%d of them probe topics), compiled in %d ms%n", ruleCount, PROBES, (System.nanoTime() - compileStart) / 1_000_000);

        Map<String, String> overrides = new java.util.HashMap<>();
        if (!threads.isEmpty()) {
            overrides.put("num.stream.threads", threads);
        }
        if (!commitMs.isEmpty()) {
            overrides.put("commit.interval.ms", commitMs);
        }
        // any Kafka Streams property, for experiments: --props producer.batch.size=262144,producer.linger.ms=5
        for (String kv : a.getOrDefault("props", "").split(",")) {
            if (kv.contains("=")) {
                overrides.put(kv.substring(0, kv.indexOf('=')).strip(), kv.substring(kv.indexOf('=') + 1).strip());
            }
        }
        System.out.printf("streams overrides: %s%n", overrides);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap);

            // 1. throughput
            Instant base = Instant.now().minus(Duration.ofHours(2));
            List<Article> backlog = new ArrayList<>(articleCount);
            for (int i = 0; i < articleCount; i++) {
                backlog.add(news.article(i, base.plusMillis(i * 10L), 0.1));
            }
            long bytes = backlog.stream().mapToLong(x -> x.text().length()).sum();
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                for (Article x : backlog) {
                    producer.send(Topics.ARTICLES.record(x.id(), x));
                }
                producer.flush();
            }
            System.out.printf("backlog: %,d articles, %.1f MB of text%n", articleCount, bytes / 1e6);

            // 0. baseline in the same process: the tagging step alone (rules matching and event time), one thread, no Kafka
            dev.vigil.streams.Tagger tagger = new dev.vigil.streams.Tagger(new dev.vigil.streams.rules.Matcher(rules));
            for (int i = 0; i < Math.min(2_000, backlog.size()); i++) {
                tagger.tag(backlog.get(i));
            }
            long tagStart = System.nanoTime();
            for (Article x : backlog) {
                tagger.tag(x);
            }
            double tagSeconds = (System.nanoTime() - tagStart) / 1e9;
            System.out.printf("baseline: tagging alone, one thread, no Kafka: %,.0f articles/s%n", articleCount / tagSeconds);
            StreamsSettings settings = new StreamsSettings(bootstrap, "load-throughput", dir.resolve("state-1"), Duration.ofSeconds(30), Map.of()).withOverrides(overrides);
            long started;
            try (StreamsService streams = new StreamsService(settings, rules, new SimpleMeterRegistry())) {
                long launched = System.nanoTime();
                streams.start();
                while (streams.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                started = System.nanoTime();
                while (!caughtUp(bootstrap, "load-throughput")) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                }
                double took = (System.nanoTime() - started) / 1e9;
                System.out.printf("throughput: %,d articles in %.1f s = %,.0f articles/s from RUNNING to caught up (start-up and first rebalance took %.1f s more)%n",
                        articleCount, took, articleCount / took, (started - launched) / 1e9);
            }

            // 2. latency at a fixed rate
            // a new application that starts at the end of vigil.articles: phase 1's backlog is not its business
            Map<String, String> fromNow = new java.util.HashMap<>(overrides);
            fromNow.put("consumer.auto.offset.reset", "latest");
            StreamsSettings live = new StreamsSettings(bootstrap, "load-latency", dir.resolve("state-2"), Duration.ofSeconds(30), Map.of()).withOverrides(fromNow);
            try (StreamsService streams = new StreamsService(live, rules, new SimpleMeterRegistry());
                 KafkaConsumer<byte[], byte[]> alerts = alertConsumer(bootstrap);
                 KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                // skip what phase 1 raised
                var partitions = alerts.partitionsFor(Topics.ALERTS.name()).stream()
                        .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
                alerts.assign(partitions);
                alerts.seekToEnd(partitions);
                partitions.forEach(alerts::position);
                streams.start();
                while (!streams.isRunning() || streams.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                Map<String, Long> sentAt = new ConcurrentHashMap<>();
                List<Long> latencies = new ArrayList<>();
                long intervalNanos = 1_000_000_000L / rate;
                long next = System.nanoTime();
                long end = next + TimeUnit.SECONDS.toNanos(seconds);
                int n = articleCount;
                int probe = 0;
                while (System.nanoTime() < end) {
                    Article x;
                    if (n % Math.max(1, rate * seconds / PROBES) == 0 && probe < PROBES) {
                        x = probe(n, probe++);
                        sentAt.put("probe-" + (probe - 1), System.nanoTime());
                    } else {
                        x = news.article(n, Instant.now(), 0.1);
                    }
                    producer.send(Topics.ARTICLES.record(x.id(), x));
                    n++;
                    next += intervalNanos;
                    drainAlerts(alerts, sentAt, latencies, Duration.ZERO);
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                producer.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (latencies.size() < probe && System.nanoTime() < deadline) {
                    drainAlerts(alerts, sentAt, latencies, Duration.ofMillis(100));
                }
                long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("latency at %d articles/s for %d s: %d probes, %d alerts read; p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                        rate, seconds, probe, sorted.length, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
            }
        } finally {
            // the broker's log and the state stores hold the backlog twice over (about 600 MB a run)
            deleteTree(dir);
        }
    }

    static final int PROBES = 200;

    private static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Adds one topic per probe, and a signal heavy enough to raise a topic to elevated on its own. */
    private static String withProbes(String rules) {
        StringBuilder topics = new StringBuilder();
        for (int i = 0; i < PROBES; i++) {
            topics.append("  probe-").append(i).append(": {any: [probe").append(i).append("]}\n");
        }
        return rules.replaceFirst("topics:\n", "topics:\n" + topics.toString().replace("$", "\\$"))
                .replaceFirst("signals:\n", "signals:\n  surge-probe: {weight: 10, any: [surgealarm]}\n");
    }

    private static Article probe(int n, int probe) {
        Instant now = Instant.now();
        return new Article(Article.SCHEMA_VERSION, new dev.vigil.model.ArticleId("probe-" + probe), new dev.vigil.model.FeedId("load"), "probe-outlet",
                "https://load.example/probe/" + probe, "probe" + probe + " surgealarm", "probe" + probe + " surgealarm " + n, Article.TextOrigin.EXTRACTED, now, now, "en");
    }

    private static void drainAlerts(KafkaConsumer<byte[], byte[]> consumer, Map<String, Long> sentAt, List<Long> latencies, Duration wait) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            long now = System.nanoTime();
            Alert alert = Topics.ALERTS.value(r.value());
            alert.data().stories().stream().map(s -> s.id().value()).filter(sentAt::containsKey).findFirst()
                    .ifPresent(id -> latencies.add(TimeUnit.NANOSECONDS.toMillis(now - sentAt.remove(id))));
        }
    }

    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> alertConsumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static boolean caughtUp(String bootstrap, String applicationId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            var committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            var latest = new java.util.HashMap<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
            for (String t : List.of(Topics.ARTICLES.name(), applicationId + "-topic-hits-repartition")) {
                admin.describeTopics(List.of(t)).allTopicNames().get(10, TimeUnit.SECONDS).get(t).partitions()
                        .forEach(i -> latest.put(new org.apache.kafka.common.TopicPartition(t, i.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey()) && committed.get(e.getKey()).offset() >= e.getValue().offset()
                    || e.getValue().offset() == 0);
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, found " + Arrays.toString(args));
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }
}
