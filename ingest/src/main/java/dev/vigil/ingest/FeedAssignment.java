package dev.vigil.ingest;

import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.LogText;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * Shares the feeds among ingest instances with Kafka's consumer group protocol, on the compacted
 * {@code vigil.ingest.state} topic: a feed belongs to the partition its id hashes to (the
 * producer's own key hashing), and an instance polls exactly the feeds of the partitions the
 * group assigns it. When a partition is assigned, its states are read from the beginning (the
 * compacted topic holds the latest state of each feed) and its feeds start polling from where the
 * last owner left them; when it is revoked or lost, its feeds stop. A dead instance is noticed
 * after the session timeout, and its partitions, with their feeds, go to the survivors.
 *
 * <p>Which feeds exist is the {@link FeedSource}'s business: with the catalogue, every instance
 * reads {@code vigil.feeds} in full before it polls anything and follows it while it runs, so a
 * feed added there starts, a feed changed there is polled as changed, and a feed removed there
 * stops, on whichever instance owns its partition, without a restart. A removed feed's last
 * state is kept while its partition stays here, so adding it back publishes nothing twice.
 *
 * <p>Runs on its own thread ({@code vigil-ingest-assignment}), which alone touches the catalogue
 * and the partitions' bookkeeping.
 */
final class FeedAssignment implements AutoCloseable {

    /** What the assignment asks of the service that polls. */
    interface Listener {
        /** Start polling a feed from its saved state, if it has one. */
        void start(FeedSpec spec, Optional<FeedState> state);

        /** A polled feed changed in the catalogue (URL, names, intervals): poll it as {@code spec} from now on. */
        void update(FeedSpec spec);

        /** Stop polling these feeds; returns the last state of each. */
        Map<FeedId, FeedState> stop(Collection<FeedId> feeds);
    }

    private static final Logger log = LoggerFactory.getLogger(FeedAssignment.class);

    private final IngestSettings settings;
    /** {@code vigil.ingest.state} as this deployment names it. */
    private final Topic<FeedId, FeedState> topic;
    private final Listener listener;
    private final IngestMetrics metrics;
    private final Map<FeedId, FeedSpec> catalogue = new HashMap<>();
    private final Map<TopicPartition, Long> restoring = new HashMap<>();
    private final Map<TopicPartition, Map<FeedId, FeedState>> restored = new HashMap<>();
    /** Saved states of feeds in owned partitions that are not in the catalogue (removed, and maybe added back). */
    private final Map<FeedId, FeedState> dormant = new HashMap<>();
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private volatile int partitions = -1;
    private volatile int catalogued;
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer;
    private FeedCatalogue followed;
    private Thread thread;

    FeedAssignment(IngestSettings settings, Listener listener, IngestMetrics metrics) {
        this.settings = settings;
        this.topic = settings.kafka().topic(Topics.INGEST_STATE);
        this.listener = listener;
        this.metrics = metrics;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).size();
            if (partitions == 0) {
                throw new IllegalStateException("topic " + topic + " has no partitions: create Vigil's topics first");
            }
            if (settings.feeds() instanceof FeedSource.Fixed fixed) {
                fixed.feeds().forEach(f -> catalogue.put(f.id(), f));
            } else {
                // every feed is known before any partition starts, so none is started without its saved state
                followed = FeedCatalogue.open(settings.kafka(), Duration.ofSeconds(30), why -> {
                    metrics.catalogue("invalid");
                    log.warn("ingest: skipping an unreadable feed catalogue record {}", LogText.of(why));
                });
                follow(followed.poll(Duration.ZERO));
            }
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            if (followed != null) {
                followed.close();
            }
            throw e;
        }
        catalogued = catalogue.size();
        running = true;
        thread = new Thread(this::run, "vigil-ingest-assignment");
        thread.setDaemon(true);
        thread.start();
    }

    boolean isAlive() {
        return running && thread != null && thread.isAlive();
    }

    /** Feeds in the catalogue (all instances' share), as last read. */
    int catalogued() {
        return catalogued;
    }

    /** The partition of the state topic a feed belongs to: the producer's default for its key. */
    int partitionOf(FeedId feed) {
        int n = partitions;
        if (n <= 0) {
            throw new IllegalStateException("not started");
        }
        byte[] key = topic.keySerde().serializer().serialize(topic.name(), feed);
        return Utils.toPositive(Utils.murmur2(key)) % n;
    }

    private Properties consumerProperties() {
        Properties p = settings.kafka().consumer();
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
            consumer.subscribe(List.of(topic.name()), new Rebalances());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    read(r);
                }
                if (followed != null) {
                    follow(followed.poll(Duration.ZERO));
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
            if (followed != null) {
                followed.close();
            }
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Map<FeedId, FeedState> states = restored.get(tp);
        boolean keepDormant = states == null && owned.contains(tp);
        if (states == null && !keepDormant) {
            return;
        }
        try {
            FeedId feed = topic.key(r.key());
            if (keepDormant) {
                // our own writes coming back on a running partition: only a feed gone from the catalogue needs its state kept
                if (catalogue.containsKey(feed)) {
                    return;
                }
                states = dormant;
            }
            if (r.value() == null) {
                states.remove(feed);
            } else {
                states.put(feed, topic.value(r.value()));
            }
        } catch (SerializationException | IllegalArgumentException e) {
            // a record this version cannot read: that feed starts afresh (backfill-capped), the rest is untouched
            log.warn("ingest: skipping an unreadable record at {}@{}: {}", tp, r.offset(), LogText.of(e.getMessage()));
        }
    }

    /** Applies catalogue changes to the feeds of the partitions this instance polls. */
    private void follow(List<TopicReader.Change<FeedId, FeedDefinition>> changes) {
        for (var change : changes) {
            FeedId id = change.key();
            FeedSpec before = catalogue.get(id);
            FeedSpec after = change.value() == null ? null : FeedSpec.of(change.value());
            if (Objects.equals(before, after)) {
                continue;
            }
            if (after == null) {
                catalogue.remove(id);
            } else {
                catalogue.put(id, after);
            }
            if (!owned.contains(new TopicPartition(topic.name(), partitionOf(id)))) {
                continue;    // another instance's feed, or a partition still restoring (it starts from the catalogue when ready)
            }
            if (after == null) {
                dormant.putAll(listener.stop(List.of(id)));
                metrics.catalogue("removed");
                log.info("ingest: {} removed from the catalogue: stopped polling it", id);
            } else if (before == null) {
                Optional<FeedState> state = Optional.ofNullable(dormant.remove(id));
                listener.start(after, state);
                metrics.catalogue("added");
                log.info("ingest: {} added to the catalogue: polling {}{}", id, LogText.of(after.url()), state.isPresent() ? " from its saved state" : "");
            } else {
                listener.update(after);
                metrics.catalogue("updated");
                log.info("ingest: {} changed in the catalogue: polling {} every {} ({} .. {}) from now on", id, LogText.of(after.url()), after.interval(),
                        after.minInterval(), after.maxInterval());
            }
        }
        // counted once the changes are applied: a reader that sees the new count sees the feeds started or stopped
        catalogued = catalogue.size();
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
            int withState = 0;
            for (FeedSpec spec : catalogue.values()) {
                if (partitionOf(spec.id()) == tp.partition()) {
                    Optional<FeedState> state = Optional.ofNullable(states.remove(spec.id()));
                    withState += state.isPresent() ? 1 : 0;
                    listener.start(spec, state);
                    started++;
                }
            }
            dormant.putAll(states);
            owned.add(tp);
            // a partition with no feed is routine with a small catalogue: keep it out of the log
            if (started > 0) {
                log.info("ingest: partition {} assigned: polling its {} feed(s) ({} with saved state)", tp.partition(), started, withState);
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
                for (FeedSpec spec : catalogue.values()) {
                    if (partitionOf(spec.id()) == tp.partition()) {
                        stopping.add(spec.id());
                    }
                }
                // the next owner reads these from the topic
                dormant.keySet().removeIf(feed -> partitionOf(feed) == tp.partition());
            }
        }
        if (!stopping.isEmpty()) {
            listener.stop(stopping);
            log.info("ingest: partitions {} moved away: stopped polling {} feed(s)", lost.stream().map(TopicPartition::partition).toList(), stopping.size());
        }
    }

    private void stopAll() {
        stopPartitions(new ArrayList<>(owned));
    }

    private final class Rebalances implements ConsumerRebalanceListener {
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
