package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Follows {@code vigil.articles.tagged} with read_committed, noting when each article's tagged record became visible. */
final class TaggedWatcher implements AutoCloseable {
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Map<Integer, List<Instant>> arrivals = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    TaggedWatcher(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        thread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = c.partitionsFor(Topics.ARTICLES_TAGGED.name()).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        Instant now = Instant.now();
                        seen.putIfAbsent(Topics.ARTICLES_TAGGED.value(r.value()).article().id().value(), now);
                        arrivals.computeIfAbsent(r.partition(), k -> Collections.synchronizedList(new ArrayList<>())).add(now);
                    }
                }
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "test-tagged-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    int count() {
        assertThat(failure.get()).as("the watcher of %s", Topics.ARTICLES_TAGGED.name()).isNull();
        return seen.size();
    }

    /** When the first of {@code ids} came out tagged, or null while none has. */
    Instant firstAfter(Set<String> ids) {
        count();
        return ids.stream().map(seen::get).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /** The longest time one partition of the topic went without a new tagged record, while records flowed. */
    Duration longestGap() {
        Duration longest = Duration.ZERO;
        for (List<Instant> partition : arrivals.values()) {
            List<Instant> sorted;
            synchronized (partition) {
                sorted = partition.stream().sorted().toList();
            }
            for (int i = 1; i < sorted.size(); i++) {
                Duration gap = Duration.between(sorted.get(i - 1), sorted.get(i));
                if (gap.compareTo(longest) > 0) {
                    longest = gap;
                }
            }
        }
        return longest;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
