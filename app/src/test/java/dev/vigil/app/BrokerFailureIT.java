package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topics;
import dev.vigil.streams.StreamsService;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-broker cluster (replication factor 3, {@code min.insync.replicas} 2), articles produced with
 * {@code acks=all} through the real streams service while alerts are decided, and the broker that
 * coordinates the streams application killed with SIGKILL mid-flow, then started again. Every
 * acknowledged article must come out tagged, and {@code vigil.alerts} (read_committed) must hold exactly
 * the alert events the same input yields without a fault. Prints the time to recover.
 *
 * <p>Tagged {@code cluster} as well: {@code mvn -B -pl app -am verify -Dit.test=BrokerFailureIT ...} runs it alone.
 */
@Tag("integration")
@Tag("cluster")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class BrokerFailureIT {

    @TempDir
    Path dir;

    @Test
    void brokerKilledMidFlowLosesNoAcknowledgedArticleAndNoAlertEvent() throws Exception {
        List<String> reference = FaultlessRun.decisions();
        Instant began = Instant.now();
        Path rules = Files.writeString(dir.resolve("rules.yaml"), ExactlyOnceIT.RULES);
        List<Article> input = ExactlyOnceIT.input();

        try (BrokerCluster cluster = BrokerCluster.start(dir.resolve("cluster"), Duration.ofMinutes(2))) {
            String bootstrap = cluster.bootstrapServers();
            Instant clusterUp = Instant.now();
            TopicAdmin.ensureTopics(bootstrap);
            try (StreamsService streams = new StreamsService(StreamsSettings.of(bootstrap, dir.resolve("streams-state")),
                    RulesLoader.load(rules), new SimpleMeterRegistry());
                 TaggedWatcher tagged = new TaggedWatcher(bootstrap)) {
                streams.start();
                Await.until(Duration.ofSeconds(90), "streams RUNNING", () -> streams.state() == KafkaStreams.State.RUNNING);

                Flow flow = new Flow(bootstrap, input, Duration.ofMillis(60));
                CompletableFuture<Void> producing = CompletableFuture.runAsync(flow::run);
                Await.until(Duration.ofSeconds(90), "a third of the articles produced and tagged",
                        () -> flow.sent.get() >= input.size() / 3 && tagged.count() >= input.size() / 6);

                int coordinator = cluster.coordinatorOf(ExactlyOnceIT.APPLICATION_ID);
                int victim = coordinator > 0 ? coordinator : 1;
                Map<Integer, Long> ledBefore = cluster.leadersOf(List.of(Topics.ARTICLES.name(), Topics.ARTICLES_TAGGED.name(), Topics.ALERTS.name()));
                int sentAtKill = flow.sent.get();
                Instant killedAt = Instant.now();
                cluster.kill(victim);

                // recovered: an article sent after the kill has gone through streams and is committed on vigil.articles.tagged
                Await.until(Duration.ofMinutes(2), "an article sent after the kill to come out tagged",
                        () -> tagged.firstAfter(flow.sentAfter(killedAt)) != null);
                Instant recoveredAt = tagged.firstAfter(flow.sentAfter(killedAt));
                Duration recovery = Duration.between(killedAt, recoveredAt);

                cluster.restart(victim, Duration.ofMinutes(2));
                Instant restartedAt = Instant.now();
                producing.get(3, TimeUnit.MINUTES);
                Await.until(Duration.ofMinutes(2), "every replica back in sync after the restart", cluster::fullyReplicated);
                Duration rejoin = Duration.between(restartedAt, Instant.now());
                Await.until(Duration.ofMinutes(2), "streams to process everything", () -> KafkaProbe.streamsCaughtUp(bootstrap, ExactlyOnceIT.APPLICATION_ID));
                assertThat(streams.state()).as("the streams instance after the broker failure").isEqualTo(KafkaStreams.State.RUNNING);

                Set<String> taggedIds = new HashSet<>();
                for (TaggedArticle t : KafkaProbe.committedValues(bootstrap, Topics.ARTICLES_TAGGED)) {
                    taggedIds.add(t.article().id().value());
                }
                Set<String> lostArticles = new HashSet<>(flow.acked);
                lostArticles.removeAll(taggedIds);
                List<Alert> alerts = KafkaProbe.committedValues(bootstrap, Topics.ALERTS);
                List<String> decisions = ExactlyOnceIT.decisions(alerts);
                List<String> lostAlerts = new ArrayList<>(reference);
                decisions.forEach(lostAlerts::remove);
                int duplicated = alerts.size() - (int) alerts.stream().map(Alert::id).distinct().count();
                Map<String, String> replication = cluster.replication();

                System.out.printf("FIGURES broker-failure: killed=node %d (coordinator of %s; partition leaders before %s) after %d of %d articles sent; "
                                + "acked=%d unacked=%d acked-but-not-tagged=%d alert-events=%d expected=%d lost=%d duplicated=%d "
                                + "recovery-ms=%d (kill -> first article sent after it committed tagged) longest-partition-gap-ms=%d "
                                + "rejoin-ms=%d (restart -> all replicas in sync) cluster-start-ms=%d wall-ms=%d%n",
                        victim, ExactlyOnceIT.APPLICATION_ID, ledBefore, sentAtKill, input.size(),
                        flow.acked.size(), flow.failed.size(), lostArticles.size(), alerts.size(), reference.size(), lostAlerts.size(), duplicated,
                        recovery.toMillis(), tagged.longestGap().toMillis(), rejoin.toMillis(),
                        Duration.between(began, clusterUp).toMillis(), Duration.between(began, Instant.now()).toMillis());
                System.out.println("FIGURES broker-failure replication: " + replication);

                assertThat(replication).as("every topic, Vigil's, Streams' and Kafka's own, replicated three times")
                        .allSatisfy((topic, r) -> assertThat(r).startsWith("rf=3 "));
                for (String topic : List.of(Topics.ARTICLES.name(), Topics.ARTICLES_TAGGED.name(), Topics.ALERTS.name())) {
                    assertThat(cluster.topicConfig(topic, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)).as("min.insync.replicas of %s", topic).isEqualTo(String.valueOf(BrokerCluster.MIN_IN_SYNC));
                }
                assertThat(flow.failed).as("articles the cluster never acknowledged").isEmpty();
                assertThat(flow.acked).hasSize(input.size());
                assertThat(lostArticles).as("acknowledged articles missing from %s", Topics.ARTICLES_TAGGED.name()).isEmpty();
                assertThat(alerts).extracting(Alert::id).doesNotHaveDuplicates();
                assertThat(decisions).as("alert events after broker %d was killed", victim).isEqualTo(reference);
            }
        }
    }

    /** Articles sent one by one at a live feed's pace with acks=all; remembers when each was sent and which were acknowledged. */
    static final class Flow implements Runnable {
        final AtomicInteger sent = new AtomicInteger();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final Map<String, String> failed = new ConcurrentHashMap<>();
        private final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        private final String bootstrap;
        private final List<Article> articles;
        private final Duration pause;

        Flow(String bootstrap, List<Article> articles, Duration pause) {
            this.bootstrap = bootstrap;
            this.articles = articles;
            this.pause = pause;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (Article a : articles) {
                    String id = a.id().value();
                    sentAt.put(id, Instant.now());
                    producer.send(Topics.ARTICLES.record(a.id(), a), (metadata, e) -> {
                        if (e == null) {
                            acked.add(id);
                        } else {
                            failed.put(id, e.toString());
                        }
                    });
                    sent.incrementAndGet();
                    LockSupport.parkNanos(pause.toNanos());
                }
                producer.flush();
            }
        }

        /** Ids of the articles sent after {@code t}. */
        Set<String> sentAfter(Instant t) {
            Set<String> out = new HashSet<>();
            sentAt.forEach((id, at) -> {
                if (at.isAfter(t)) {
                    out.add(id);
                }
            });
            return out;
        }
    }
}
