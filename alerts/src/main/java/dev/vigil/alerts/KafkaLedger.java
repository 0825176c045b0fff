package dev.vigil.alerts;

import dev.vigil.model.Delivery;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} on Kafka, with its own idempotent producer: attempts and decisions go to
 * {@code vigil.deliveries}, dead letters to {@code vigil.alerts.dlq} (keyed by alert id, the
 * {@link Delivery} as value). The one place the alerts service writes either topic: the receiver
 * lanes' dead letters and the consumer's (a record that is no alert) are written alike.
 */
final class KafkaLedger implements Ledger, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);

    /** {@code Topics.DELIVERIES} as this deployment names it. */
    private final Topic<String, Delivery> deliveries;
    /** {@code Topics.ALERTS_DLQ} as this deployment names it. */
    private final Topic<String, Delivery> deadLetters;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaClientMetrics producerMetrics;

    KafkaLedger(KafkaConnection kafka, MeterRegistry registry) {
        this.deliveries = kafka.topic(Topics.DELIVERIES);
        this.deadLetters = kafka.topic(Topics.ALERTS_DLQ);
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
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
