package dev.vigil.alerts;

import dev.vigil.model.DeadLetter;
import dev.vigil.model.Delivery;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} on Kafka, with its own idempotent producer: attempts and decisions go to
 * {@code vigil.deliveries}, dead letters to {@code vigil.alerts.dlq} (keyed by alert id, the
 * {@link Delivery} as value), and the bytes of a record of {@code vigil.alerts} that is no alert
 * to {@code vigil.alerts.malformed}. The one place the alerts service writes these topics: the
 * receiver lanes' dead letters and the consumer's (a record that is no alert) are written alike.
 */
final class KafkaLedger implements Ledger, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);

    /** {@code Topics.DELIVERIES} as this deployment names it. */
    private final Topic<String, Delivery> deliveries;
    /** {@code Topics.ALERTS_DLQ} as this deployment names it. */
    private final Topic<String, Delivery> deadLetters;
    /** {@code Topics.ALERTS_MALFORMED} as this deployment names it. */
    private final Topic<byte[], byte[]> malformed;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaClientMetrics producerMetrics;

    KafkaLedger(KafkaConnection kafka, MeterRegistry registry) {
        this.deliveries = kafka.topic(Topics.DELIVERIES);
        this.deadLetters = kafka.topic(Topics.ALERTS_DLQ);
        this.malformed = kafka.topic(Topics.ALERTS_MALFORMED);
        this.producer = new KafkaProducer<>(kafka.durableProducer("vigil-alerts-ledger"), new ByteArraySerializer(), new ByteArraySerializer());
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
    }

    @Override
    public void attempt(Delivery delivery) {
        producer.send(deliveries.record(delivery.alertId(), delivery), (md, e) -> {
            if (e != null) {
                log.warn("alerts: cannot record a delivery attempt on {}: {}", deliveries, e.toString());
            }
        });
    }

    @Override
    public void deadLetter(Delivery delivery) {
        try {
            producer.send(deadLetters.record(delivery.alertId(), delivery)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + delivery.alertId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot dead-letter " + delivery.alertId() + " to " + deadLetters + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void malformed(ProducerRecord<byte[], byte[]> deadLetter) {
        if (!deadLetter.topic().equals(malformed.name())) {
            throw new IllegalArgumentException("deadLetter: expected a record for " + malformed + ", found one for " + deadLetter.topic());
        }
        String where = header(deadLetter, DeadLetter.TOPIC) + "-" + header(deadLetter, DeadLetter.PARTITION) + "@" + header(deadLetter, DeadLetter.OFFSET);
        try {
            producer.send(deadLetter).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + where, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot dead-letter " + where + " to " + malformed + ": " + e.getMessage(), e);
        }
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
