package dev.vigil.alerts;

import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.model.Alert;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.Delivery;
import dev.vigil.model.LogText;
import dev.vigil.model.Topic;
import dev.vigil.model.TopicName;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code vigil.alerts} (committed records only), hands every alert to the lanes of the
 * receivers its routes name, and commits an offset only when every delivery routed for it, and
 * for every record before it, ended ({@link OffsetTracker}). A record that is no alert is
 * dead-lettered through the {@link Ledger} with its bytes ({@code vigil.alerts.malformed}) and, as
 * a lane dead-letters an undeliverable alert, on {@code vigil.alerts.dlq}; one no route matches is
 * recorded as unrouted. Consumption pauses while too many alerts wait for slow
 * receivers. {@link #run()} is one consumer session: it returns when {@link #stop()} is called,
 * and throws when the consumer fails (the caller starts another).
 */
final class AlertConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(AlertConsumerLoop.class);
    /** Why a tombstone is no alert. */
    static final String NO_VALUE = "the record has no value";

    private final AlertsSettings settings;
    private final Map<ReceiverName, ReceiverLane> lanes;
    private final Ledger ledger;
    private final AlertsMetrics metrics;
    private final Clock clock;
    /** {@code Topics.ALERTS} as this deployment names it. */
    private final Topic<TopicName, Alert> alertsTopic;
    /** {@code Topics.ALERTS_MALFORMED} as this deployment names it. */
    private final Topic<byte[], byte[]> malformedTopic;
    private volatile OffsetTracker tracker = new OffsetTracker();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;

    AlertConsumerLoop(AlertsSettings settings, Map<ReceiverName, ReceiverLane> lanes, Ledger ledger, AlertsMetrics metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.lanes = Map.copyOf(lanes);
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.alertsTopic = settings.kafka().topic(Topics.ALERTS);
        this.malformedTopic = settings.kafka().topic(Topics.ALERTS_MALFORMED);
    }

    /** What a lane calls when it ended one delivery: the record it belongs to may become committable. */
    static void finished(ReceiverLane.Job job) {
        if (job.entry() != null) {
            job.entry().done();
        }
    }

    /** Consumed records with a delivery still open, in this session. */
    int inFlight() {
        return tracker.inFlight();
    }

    /**
     * One consumer session, until {@link #stop()}. Whatever was not committed when it ends is
     * consumed again by the next session, and deliveries still queued from this one are dropped
     * from the lanes (they come back with it).
     */
    void run() {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(c);
        consumerMetrics.bindTo(metrics.registry());
        consumer = c;
        OffsetTracker t = tracker;
        try {
            c.subscribe(List.of(alertsTopic.name()), rebalanceListener(c, t));
            poll(c, t);
            commit(c, t, null);
        } catch (WakeupException e) {
            // stop() asked us to; unfinished work stays uncommitted and is delivered again
            commit(c, t, null);
        } finally {
            consumer = null;
            consumerMetrics.close();
            try {
                c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } finally {
                t.forgetAll();
                tracker = new OffsetTracker();
            }
        }
    }

    /** Ends {@link #run()}; callable from any thread, also before it started. */
    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private ConsumerRebalanceListener rebalanceListener(KafkaConsumer<byte[], byte[]> c, OffsetTracker t) {
        return new ConsumerRebalanceListener() {
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
        };
    }

    private void poll(KafkaConsumer<byte[], byte[]> c, OffsetTracker t) {
        boolean paused = false;
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
        ledger.flush();
        c.commitSync(offsets);
        t.committed(offsets);
    }

    /** Takes one consumed record: to the lanes of its receivers, or to the dead letters, or recorded as unrouted. Visible for tests. */
    void handle(ConsumerRecord<byte[], byte[]> record, OffsetTracker t) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        Alert alert;
        try {
            alert = alertsTopic.value(record.value());
        } catch (SerializationException e) {
            DeadLetter.Reason reason = DeadLetter.Reason.ofReadFailure(record.value(), e);
            log.warn("alerts: {} is not a valid alert, dead-lettered to {} ({}): {}", where, malformedTopic, reason.wireName(), LogText.of(e.getMessage()));
            deadLetterMalformed(record, where, reason, e.getMessage());
            t.track(partition, record.offset(), 0);
            return;
        }
        if (alert == null) {
            log.warn("alerts: {} has no value (a tombstone on an event topic); dead-lettered to {}", where, malformedTopic);
            deadLetterMalformed(record, where, DeadLetter.Reason.EMPTY, NO_VALUE);
            t.track(partition, record.offset(), 0);
            return;
        }
        List<ReceiverName> receivers = settings.routing().receiversFor(alert);
        if (receivers.isEmpty()) {
            String level = alert.data().level().wireName();
            log.warn("alerts: {} ({} at {}) matches no route; recorded as unrouted", LogText.of(alert.id()), alert.data().topic(), level);
            metrics.unrouted();
            ledger.attempt(new Delivery(Delivery.SCHEMA_VERSION, alert.id(), "none", null, 0, Delivery.Outcome.UNROUTED,
                    "no route matches topic " + alert.data().topic() + " at level " + level, clock.instant(), null));
            t.track(partition, record.offset(), 0);
            return;
        }
        OffsetTracker.Entry entry = t.track(partition, record.offset(), receivers.size());
        for (ReceiverName name : receivers) {
            lanes.get(name).submit(new ReceiverLane.Job(alert, clock.instant(), entry));
        }
    }

    /**
     * A record that is no alert reached no receiver. Its bytes (key, value, headers) go to
     * {@code vigil.alerts.malformed} as a {@link DeadLetter}, from where {@code vigil dlq} lists and
     * replays them; then, as before, a {@link Delivery} on {@code vigil.alerts.dlq} names where it
     * was read ({@code receiver: none}), for whoever follows that topic. Both are durable before
     * the record can be committed: if either cannot be written the session ends and the record is
     * read again (its bytes may then be dead-lettered twice, never lost).
     */
    private void deadLetterMalformed(ConsumerRecord<byte[], byte[]> record, String where, DeadLetter.Reason reason, String why) {
        metrics.malformed();
        Instant now = clock.instant();
        ledger.malformed(DeadLetter.record(malformedTopic.name(), new DeadLetter.Source(record.topic(), record.partition(), record.offset()),
                record.key(), record.value(), record.headers(), reason, where + ": " + why, now));
        ledger.deadLetter(new Delivery(Delivery.SCHEMA_VERSION, where, "none", null, 0, Delivery.Outcome.DEAD_LETTERED,
                "malformed: " + why, now, null));
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
}
