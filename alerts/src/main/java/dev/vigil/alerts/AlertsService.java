package dev.vigil.alerts;

import dev.vigil.alerts.api.AlertFeed;
import dev.vigil.alerts.api.AlertsApi;
import dev.vigil.alerts.receiver.Channel;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.silence.SilenceStore;
import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.LogText;
import dev.vigil.model.Topic;
import dev.vigil.model.TopicName;
import dev.vigil.model.Topics;
import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.net.HostResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code vigil.alerts} (committed records only) and delivers every alert to the
 * receivers its routes name, at least once. Each receiver has its own {@link ReceiverLane}, so a
 * dead one never delays the others; an offset is committed only when every delivery routed for
 * it, and for every record before it, ended — delivered, dead-lettered (durably), silenced or
 * suppressed as a repeat. A crash in between means the alert is delivered again, under the same
 * {@code webhook-id}. Also runs the silence store and the feed behind the HTTP API.
 * {@link #start()} and {@link #close()} are idempotent.
 */
public final class AlertsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertsService.class);

    private final AlertsSettings settings;
    private final MeterRegistry registry;
    private final PrintStream console;
    private final Consumer<Alert> onDelivered;
    private final Clock clock;
    private final AlertsMetrics metrics;
    /** {@code Topics.ALERTS} as this deployment names it. */
    private final Topic<TopicName, Alert> alertsTopic;
    /** {@code Topics.DELIVERIES} as this deployment names it. */
    private final Topic<String, Delivery> deliveriesTopic;
    /** {@code Topics.ALERTS_DLQ} as this deployment names it. */
    private final Topic<String, Delivery> alertsDlqTopic;
    private final Map<ReceiverName, ReceiverLane> lanes = new LinkedHashMap<>();
    private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
    private volatile OffsetTracker tracker = new OffsetTracker();
    private KafkaProducer<byte[], byte[]> producer;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private SilenceStore silences;
    private AlertFeed feed;
    private AlertsApi api;
    private Thread thread;
    private volatile boolean running;
    private volatile boolean healthy;

    /**
     * @param console     where console receivers print
     * @param onDelivered called after each successful delivery to a receiver (the demo waits on it)
     */
    public AlertsService(AlertsSettings settings, MeterRegistry registry, PrintStream console, Consumer<Alert> onDelivered, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.console = Objects.requireNonNull(console, "console");
        this.onDelivered = Objects.requireNonNull(onDelivered, "onDelivered");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new AlertsMetrics(registry);
        this.alertsTopic = settings.kafka().topic(Topics.ALERTS);
        this.deliveriesTopic = settings.kafka().topic(Topics.DELIVERIES);
        this.alertsDlqTopic = settings.kafka().topic(Topics.ALERTS_DLQ);
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        clientMetrics.add(producerMetrics);

        SilenceStore store = new SilenceStore(settings.kafka(), settings.routing().silences(), clock);
        silences = store;
        store.start(Duration.ofSeconds(60));
        metrics.silences(() -> store.active(clock.instant()).size());
        feed = new AlertFeed(settings.recentAlerts());
        feed.follow(settings.kafka());

        Routing routing = settings.routing();
        Ledger ledger = new KafkaLedger();
        EgressGuard guard = routing.egressGuard(HostResolver.system());
        for (Receiver receiver : routing.receivers()) {
            Channel channel = Channel.of(receiver, console, guard);
            ReceiverLane lane = new ReceiverLane(channel, routing.retry(), receiver.pacing().perSecond(), ledger, metrics, silences,
                    routing.repeatInterval(), clock, d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()), this::finished, onDelivered);
            lanes.put(receiver.name(), lane);
            lane.start();
        }
        metrics.inFlight(() -> tracker.inFlight());
        List<ReceiverLane> started = List.copyOf(lanes.values());
        api = new AlertsApi(feed, store, () -> started.stream().map(ReceiverLane::status).toList(), settings.apiToken(), clock);

        running = true;
        thread = new Thread(this::supervise, "vigil-alerts");
        thread.start();
        if (lanes.isEmpty()) {
            log.warn("alerts: no receivers configured: every alert will be recorded on {} as unrouted", deliveriesTopic);
        } else {
            log.info("alerts: delivering to {}", lanes.keySet());
        }
    }

    /** The HTTP API's handlers, to mount on the process's HTTP server; available once started. */
    public synchronized AlertsApi api() {
        if (api == null) {
            throw new IllegalStateException("the alerts service is not started");
        }
        return api;
    }

    private void finished(ReceiverLane.Job job) {
        if (job.entry() != null) {
            job.entry().done();
        }
    }

    /**
     * Runs the consume loop, and when it fails (the broker went away) starts it again after a
     * growing pause. Nothing is lost in between: what was not committed is consumed again, and
     * deliveries still queued from before are dropped from the lanes (they come back with it).
     */
    private void supervise() {
        Duration pause = Duration.ofSeconds(1);
        while (running) {
            healthy = true;
            try {
                consume();
                return;
            } catch (RuntimeException e) {
                healthy = false;
                log.error("alerts: the delivery loop failed; restarting it in {} s (uncommitted alerts will be delivered again): {}",
                        pause.toSeconds(), e.toString());
            } finally {
                tracker.forgetAll();
                tracker = new OffsetTracker();
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

    private void consume() {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(c);
        consumerMetrics.bindTo(registry);
        // not under the monitor: close() holds it while it waits for this thread
        consumer = c;
        OffsetTracker t = tracker;
        boolean paused = false;
        try {
            c.subscribe(List.of(alertsTopic.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit(c, t, partitions);
                    t.forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // nothing to prepare: consumption resumes from the committed offsets
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    t.forget(partitions);
                }
            });
            while (running) {
                // while deliveries are open, come back soon to commit what finishes (lanes wait for it)
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(t.inFlight() > 0 ? 20 : 200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record, t);
                }
                int inFlight = t.inFlight();
                if (!paused && inFlight >= settings.maxInFlight()) {
                    log.warn("alerts: {} alerts wait for slow receivers; pausing consumption until half of them are done", inFlight);
                    paused = true;
                } else if (paused && inFlight <= settings.maxInFlight() / 2) {
                    c.resume(c.paused());
                    paused = false;
                }
                if (paused) {
                    c.pause(c.assignment()); // again each time: a rebalance may have assigned new partitions
                }
                commit(c, t, null);
            }
            commit(c, t, null);
        } catch (WakeupException e) {
            // close() asked us to stop; unfinished work stays uncommitted and is delivered again
            commit(c, t, null);
        } finally {
            consumer = null;
            consumerMetrics.close();
            c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Commits what is finished (only for {@code partitions} when given), after the attempt records are durable. */
    private void commit(KafkaConsumer<byte[], byte[]> c, OffsetTracker t, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = t.committable();
        if (partitions != null) {
            offsets.keySet().retainAll(partitions);
        }
        if (offsets.isEmpty()) {
            return;
        }
        producer.flush();
        c.commitSync(offsets);
        t.committed(offsets);
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, OffsetTracker t) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Alert alert;
        try {
            alert = alertsTopic.value(record.value());
        } catch (SerializationException e) {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            log.warn("alerts: {} is not a valid alert, dead-lettered: {}", where, LogText.of(e.getMessage()));
            metrics.malformed();
            deadLetterNow(new Delivery(Delivery.SCHEMA_VERSION, where, "none", null, 0, Delivery.Outcome.DEAD_LETTERED,
                    "malformed: " + e.getMessage(), clock.instant(), null));
            t.track(partition, record.offset(), 0);
            return;
        }
        if (alert == null) {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            log.warn("alerts: {} has no value (a tombstone on an event topic); dead-lettered", where);
            metrics.malformed();
            deadLetterNow(new Delivery(Delivery.SCHEMA_VERSION, where, "none", null, 0, Delivery.Outcome.DEAD_LETTERED,
                    "malformed: the record has no value", clock.instant(), null));
            t.track(partition, record.offset(), 0);
            return;
        }
        List<ReceiverName> receivers = settings.routing().receiversFor(alert);
        if (receivers.isEmpty()) {
            log.warn("alerts: {} ({} at {}) matches no route; recorded as unrouted", LogText.of(alert.id()), alert.data().topic(), alert.data().level().wireName());
            metrics.unrouted();
            producer.send(deliveriesTopic.record(alert.id(), new Delivery(Delivery.SCHEMA_VERSION, alert.id(), "none", null, 0,
                    Delivery.Outcome.UNROUTED, "no route matches topic " + alert.data().topic() + " at level " + alert.data().level().wireName(),
                    clock.instant(), null)));
            t.track(partition, record.offset(), 0);
            return;
        }
        OffsetTracker.Entry entry = t.track(partition, record.offset(), receivers.size());
        for (ReceiverName name : receivers) {
            lanes.get(name).submit(new ReceiverLane.Job(alert, clock.instant(), entry));
        }
    }

    private void deadLetterNow(Delivery d) {
        try {
            producer.send(alertsDlqTopic.record(d.alertId(), d)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + d.alertId(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot dead-letter " + d.alertId() + " to " + alertsDlqTopic + ": " + e.getMessage(), e);
        }
    }

    private Properties consumerProperties() {
        Properties p = settings.kafka().consumer();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-alerts");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // an alert raised before this group first started must still be delivered
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        if (settings.instanceId() != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId());
        }
        return p;
    }

    private Properties producerProperties() {
        Properties p = settings.kafka().producer();
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
        running = false;
        if (thread != null) {
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                thread.interrupt();
            }
            thread = null;
            log.info("alerts: stopped");
        }
        // also after a start() that failed half-way: close whatever was opened
        lanes.values().forEach(ReceiverLane::close);
        lanes.clear();
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (silences != null) {
            silences.close();
            silences = null;
        }
        clientMetrics.forEach(KafkaClientMetrics::close);
        clientMetrics.clear();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private final class KafkaLedger implements Ledger {
        @Override
        public void attempt(Delivery delivery) {
            producer.send(deliveriesTopic.record(delivery.alertId(), delivery), (md, e) -> {
                if (e != null) {
                    log.warn("alerts: cannot record a delivery attempt on {}: {}", deliveriesTopic, e.toString());
                }
            });
        }

        @Override
        public void deadLetter(Delivery delivery) {
            try {
                producer.send(alertsDlqTopic.record(delivery.alertId(), delivery)).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dead-lettering " + delivery.alertId(), e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("cannot dead-letter " + delivery.alertId() + " to " + alertsDlqTopic + ": " + e.getMessage(), e);
            }
        }
    }
}
