package dev.vigil.streams.scoring;

import dev.vigil.model.TopicName;
import dev.vigil.streams.StreamsMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each topic's {@link TopicState} in a store and turns hits into scores and level changes.
 * Runs on the partition that owns the topic, after the repartition by topic, so one topic's
 * stories all meet here. A wall-clock punctuation slides windows forward when no news arrives, so
 * a quiet topic resolves.
 */
public final class EscalationProcessor implements Processor<TopicName, TopicHit, TopicName, Decision> {

    private final String storeName;
    private final Scorer scorer;
    private final Duration expiryInterval;
    private final StreamsMetrics metrics;
    private ProcessorContext<TopicName, Decision> context;
    private KeyValueStore<TopicName, TopicState> store;

    public EscalationProcessor(String storeName, Scorer scorer, Duration expiryInterval, StreamsMetrics metrics) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.expiryInterval = Objects.requireNonNull(expiryInterval, "expiryInterval");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void init(ProcessorContext<TopicName, Decision> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, now -> expire(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<TopicName, TopicHit> record) {
        TopicName topic = record.key();
        Scorer.Step step = scorer.onHit(store.get(topic), topic, record.value());
        if (!step.counted()) {
            metrics.hitTooLate(topic);
        }
        apply(topic, step);
    }

    private void expire(Instant now) {
        List<KeyValue<TopicName, TopicState>> states = new ArrayList<>();
        try (KeyValueIterator<TopicName, TopicState> it = store.all()) {
            it.forEachRemaining(states::add);
        }
        for (KeyValue<TopicName, TopicState> kv : states) {
            scorer.onTime(kv.value, now).ifPresent(step -> apply(kv.key, step));
        }
    }

    private void apply(TopicName topic, Scorer.Step step) {
        store.put(topic, step.state());
        long at = step.score().window().end().toEpochMilli();
        context.forward(new Record<>(topic, new Decision.ScoreUpdate(step.score()), at));
        metrics.score(step.score());
        step.alert().ifPresent(alert -> {
            context.forward(new Record<>(topic, new Decision.LevelChange(alert), at));
            metrics.levelChanged(alert);
        });
    }
}
