package dev.vigil.app;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Reads and writes the alert topics of a test broker directly. */
final class AlertTopics {

    private final String bootstrap;

    AlertTopics(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    void publish(List<Alert> alerts) throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Alert a : alerts) {
                producer.send(Topics.ALERTS.record(a.data().topic(), a)).get();
            }
        }
    }

    List<Delivery> deliveries() {
        return read(Topics.DELIVERIES);
    }

    List<Delivery> deadLetters() {
        return read(Topics.ALERTS_DLQ);
    }

    /** The records of {@code vigil.alerts.dlq} as they are on the broker: key, headers, value bytes. */
    List<ConsumerRecord<byte[], byte[]>> deadLetterRecords() {
        return records(Topics.ALERTS_DLQ);
    }

    /** The records of {@code vigil.alerts.malformed} (dead letters with the bytes of what was no alert), as they are on the broker. */
    List<ConsumerRecord<byte[], byte[]>> malformedRecords() {
        return records(Topics.ALERTS_MALFORMED);
    }

    /** The records of {@code vigil.alerts} as they are on the broker. */
    List<ConsumerRecord<byte[], byte[]>> alertRecords() {
        return records(Topics.ALERTS);
    }

    private <K, V> List<V> read(Topic<K, V> topic) {
        return records(topic).stream().map(r -> topic.value(r.value())).toList();
    }

    private List<ConsumerRecord<byte[], byte[]>> records(Topic<?, ?> topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic.name()).stream().map(i -> new TopicPartition(topic.name(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Offsets the group committed on vigil.alerts, summed over partitions (0 when none). */
    long committed(String group) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.ALERTS.name()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of " + group + ": " + e.getMessage(), e);
        }
    }
}
