package dev.vigil.alerts;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code vigil.alerts} (committed records only) and delivers every alert to every
 * channel, at least once: offsets are committed only after each channel took the alert or it was
 * dead-lettered. {@link #start()} and {@link #close()} are idempotent.
 */
public final class AlertsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertsService.class);

    private final AlertsSettings settings;
    private final MeterRegistry registry;
    private final PrintStream console;
    private final Consumer<Alert> onDelivered;
    private final Clock clock;
    private final AlertsMetrics metrics;
    private KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean healthy;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
    private Thread thread;
    private volatile boolean running;

    /**
     * @param console     where the console channel prints
     * @param onDelivered called after each successful delivery to a channel (the demo waits on it)
     */
    public AlertsService(AlertsSettings settings, MeterRegistry registry, PrintStream console, Consumer<Alert> onDelivered, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.console = Objects.requireNonNull(console, "console");
        this.onDelivered = Objects.requireNonNull(onDelivered, "onDelivered");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new AlertsMetrics(registry);
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        clientMetrics.add(producerMetrics);

        List<Channel> channels = new ArrayList<>();
        if (settings.console()) {
            channels.add(new ConsoleChannel(console));
        }
        settings.webhooks().forEach(w -> channels.add(new WebhookChannel(w.name(), w.url(), settings.webhookTimeout())));
        Dispatcher dispatcher = new Dispatcher(channels, settings.retry(), new KafkaLedger(), metrics, d -> Thread.sleep(d.toMillis()), clock, onDelivered);

        running = true;
        thread = new Thread(() -> supervise(dispatcher), "vigil-alerts");
        thread.start();
        log.info("alerts: delivering to {}", channels.stream().map(Channel::name).toList());
    }

    /**
     * Runs the delivery loop, and when it fails (the broker went away, a dead letter could not be
     * written) starts it again after a growing pause. Nothing is lost in between: what was not
     * committed is consumed again.
     */
    private void supervise(Dispatcher dispatcher) {
        Duration pause = Duration.ofSeconds(1);
        while (running) {
            healthy = true;
            try {
                consume(dispatcher);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                healthy = false;
                log.error("alerts: the delivery loop failed; restarting it in {} s (uncommitted alerts will be delivered again): {}",
                        pause.toSeconds(), e.toString());
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = pause.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : pause.multipliedBy(2);
        }
    }

    private void consume(Dispatcher dispatcher) throws InterruptedException {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(c);
        consumerMetrics.bindTo(registry);
        synchronized (this) {
            consumer = c;
        }
        try {
            c.subscribe(List.of(Topics.ALERTS.name()));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record, dispatcher);
                }
                if (!records.isEmpty()) {
                    producer.flush();
                    c.commitSync();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop; the offsets of unfinished work stay uncommitted and are redelivered
        } finally {
            consumerMetrics.close();
            c.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, Dispatcher dispatcher) throws InterruptedException {
        Alert alert;
        try {
            alert = Topics.ALERTS.value(record.value());
        } catch (SerializationException e) {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            log.warn("alerts: {} is not a valid alert, dead-lettered: {}", where, e.getMessage());
            metrics.malformed();
            producer.send(Topics.ALERTS_DLQ.record(where, new Delivery(Delivery.SCHEMA_VERSION, where, "none", null, 0,
                    Delivery.Outcome.DEAD_LETTERED, "malformed: " + e.getMessage(), clock.instant(), null)));
            return;
        }
        if (alert == null) {
            return;
        }
        dispatcher.dispatch(alert);
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-alerts");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // an alert raised before this group first started must still be delivered
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-alerts-ledger");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /** True while the delivery loop runs; false before start, after close, and while it waits to restart after a failure. */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive() && healthy;
    }

    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        clientMetrics.forEach(KafkaClientMetrics::close);
        producer.close(Duration.ofSeconds(5));
        thread = null;
        log.info("alerts: stopped");
    }

    private final class KafkaLedger implements Dispatcher.Ledger {
        @Override
        public void attempt(Delivery delivery) {
            producer.send(Topics.DELIVERIES.record(delivery.alertId(), delivery), (md, e) -> {
                if (e != null) {
                    log.warn("alerts: cannot record a delivery attempt on {}: {}", Topics.DELIVERIES, e.toString());
                }
            });
        }

        @Override
        public void deadLetter(Delivery delivery) {
            // the dead letter is the alert's only remaining copy: wait for it before committing
            try {
                producer.send(Topics.ALERTS_DLQ.record(delivery.alertId(), delivery)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dead-lettering " + delivery.alertId(), e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("cannot dead-letter " + delivery.alertId() + " to " + Topics.ALERTS_DLQ + ": " + e.getCause(), e);
            }
        }
    }
}
