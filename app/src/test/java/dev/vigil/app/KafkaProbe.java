package dev.vigil.app;

import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.streams.VigilTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what tests need to know from a real broker: committed records, and whether Streams caught up. */
final class KafkaProbe {

    private KafkaProbe() {
    }

    /** Every committed value of a topic, partition by partition, read with read_committed. */
    static <K, V> List<V> committedValues(String bootstrapServers, Topic<K, V> topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic.name()).stream().map(i -> new TopicPartition(topic.name(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            // read up to the last stable offset; transaction markers take offsets too, so compare positions
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    values.add(topic.value(r.value()));
                }
                if (partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                    break;
                }
            }
            return values;
        }
    }

    /** Number of committed records on a topic. */
    static int committedCount(String bootstrapServers, Topic<?, ?> topic) {
        return committedValues(bootstrapServers, topic).size();
    }

    /**
     * The Streams application has committed offsets at the end of every partition it consumes:
     * vigil.articles and its own topic-hits repartition topic (a partition nobody wrote to ends at 0).
     */
    static boolean streamsCaughtUp(String bootstrapServers, String applicationId) {
        return streamsCaughtUp(bootstrapServers, applicationId, "");
    }

    /** {@link #streamsCaughtUp(String, String)} for a deployment whose topics carry {@code topicPrefix}. */
    static boolean streamsCaughtUp(String bootstrapServers, String applicationId, String topicPrefix) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            List<String> inputs = List.of(Topics.ARTICLES.prefixed(topicPrefix).name(), applicationId + "-" + VigilTopology.TOPIC_HITS + "-repartition");
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(inputs).allTopicNames().get(10, TimeUnit.SECONDS).values().forEach(d ->
                    d.partitions().forEach(info -> latest.put(new TopicPartition(d.name(), info.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return (c == null ? 0 : c.offset()) >= e.getValue().offset();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
