package dev.vigil.ingest;

import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares the feed list among ingest instances with Kafka's consumer group protocol, on the
 * compacted {@code vigil.ingest.state} topic: a feed belongs to the partition its id hashes to
 * (the producer's own key hashing), and an instance polls exactly the feeds of the partitions
 * the group assigns it. When a partition is assigned, its states are read from the beginning
 * (the compacted topic holds the latest state of each feed) and its feeds start polling from
 * where the last owner left them; when it is revoked or lost, its feeds stop. A dead instance
 * is noticed after the session timeout, and its partitions, with their feeds, go to the
 * survivors. Runs on its own thread ({@code vigil-ingest-assignment}).
 */
final class FeedAssignment implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedAssignment.class);
    private static final String TOPIC = Topics.INGEST_STATE.name();

    private final IngestSettings settings;
    private final List<FeedSpec> feeds;
    private final BiConsumer<FeedSpec, Optional<FeedState>> onStart;
    private final Consumer<Collection<FeedId>> onStop;
    private final Map<TopicPartition, Long> restoring = new HashMap<>();
    private final Map<TopicPartition, Map<FeedId, FeedState>> restored = new HashMap<>();
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private volatile int partitions = -1;
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    FeedAssignment(IngestSettings settings, List<FeedSpec> feeds, BiConsumer<FeedSpec, Optional<FeedState>> onStart,
                   Consumer<Collection<FeedId>> onStop) {
        this.settings = settings;
        this.feeds = List.copyOf(feeds);
        this.onStart = onStart;
        this.onStop = onStop;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).size();
        if (partitions == 0) {
            throw new IllegalStateException("topic " + TOPIC + " has no partitions: create Vigil's topics first");
        }
        thread = new Thread(this::run, "vigil-ingest-assignment");
        thread.setDaemon(true);
        thread.start();
    }

    boolean isAlive() {
        return running && thread != null && thread.isAlive();
    }

    /** The partition of the state topic a feed belongs to: the producer's default for its key. */
    int partitionOf(FeedId feed) {
        int n = partitions;
        if (n <= 0) {
            throw new IllegalStateException("not started");
        }
        byte[] key = Topics.INGEST_STATE.keySerde().serializer().serialize(TOPIC, feed);
        return Utils.toPositive(Utils.murmur2(key)) % n;
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-ingest-assignment");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, settings.sessionTimeout().toMillis() / 3));
        return p;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(TOPIC), new Listener());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    read(r);
                }
                activateCaughtUp();
            }
        } catch (WakeupException e) {
            // closing
        } catch (KafkaException e) {
            log.error("ingest: the feed assignment consumer failed; this instance stops polling: {}", e.toString(), e);
            stopAll();
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Map<FeedId, FeedState> states = restored.get(tp);
        if (states == null) {
            return;     // our own writes coming back on a partition already running
        }
        try {
            FeedId feed = Topics.INGEST_STATE.key(r.key());
            if (r.value() == null) {
                states.remove(feed);
            } else {
                states.put(feed, Topics.INGEST_STATE.value(r.value()));
            }
        } catch (SerializationException | IllegalArgumentException e) {
            // a record this version cannot read: that feed starts afresh (backfill-capped), the rest is untouched
            log.warn("ingest: skipping an unreadable record at {}@{}: {}", tp, r.offset(), e.getMessage());
        }
    }

    private void activateCaughtUp() {
        List<TopicPartition> done = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : restoring.entrySet()) {
            if (consumer.position(e.getKey()) >= e.getValue()) {
                done.add(e.getKey());
            }
        }
        for (TopicPartition tp : done) {
            restoring.remove(tp);
            Map<FeedId, FeedState> states = restored.remove(tp);
            int started = 0;
            for (FeedSpec spec : feeds) {
                if (partitionOf(spec.id()) == tp.partition()) {
                    onStart.accept(spec, Optional.ofNullable(states.get(spec.id())));
                    started++;
                }
            }
            owned.add(tp);
            // a partition with no feed is routine with a small catalogue: keep it out of the log
            if (started > 0) {
                log.info("ingest: partition {} assigned: polling its {} feed(s) ({} with saved state)", tp.partition(), started, states.size());
            } else {
                log.debug("ingest: partition {} assigned: no feed in it", tp.partition());
            }
        }
    }

    private void stopPartitions(Collection<TopicPartition> lost) {
        List<FeedId> stopping = new ArrayList<>();
        for (TopicPartition tp : lost) {
            restoring.remove(tp);
            restored.remove(tp);
            if (owned.remove(tp)) {
                for (FeedSpec spec : feeds) {
                    if (partitionOf(spec.id()) == tp.partition()) {
                        stopping.add(spec.id());
                    }
                }
            }
        }
        if (!stopping.isEmpty()) {
            onStop.accept(stopping);
            log.info("ingest: partitions {} moved away: stopped polling {} feed(s)", lost.stream().map(TopicPartition::partition).toList(), stopping.size());
        }
    }

    private void stopAll() {
        stopPartitions(new ArrayList<>(owned));
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            for (TopicPartition tp : assigned) {
                restoring.put(tp, ends.getOrDefault(tp, 0L));
                restored.put(tp, new HashMap<>());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            stopPartitions(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            stopPartitions(lost);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAll();
    }
}
