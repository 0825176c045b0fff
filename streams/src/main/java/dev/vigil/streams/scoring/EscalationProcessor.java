package dev.vigil.streams.scoring;

import dev.vigil.model.TopicName;
import dev.vigil.streams.StreamsMetrics;
import java.time.Clock;
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
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each topic's {@link TopicState} in a store and turns hits into scores and level changes.
 * Runs on the partition that owns the topic, after the repartition by topic, so one topic's
 * stories all meet here. Article ids counted for a topic are remembered in a window store for the
 * dedupe retention, so an article re-sent days later never counts twice. A wall-clock punctuation
 * slides windows forward when no news arrives, so a quiet topic resolves.
 */
public final class EscalationProcessor implements Processor<TopicName, TopicHit, TopicName, Decision> {

    private static final Logger log = LoggerFactory.getLogger(EscalationProcessor.class);

    private final String stateStoreName;
    private final String seenStoreName;
    private final Scorer scorer;
    private final Duration expiryInterval;
    private final StreamsMetrics metrics;
    private final Clock clock;
    private ProcessorContext<TopicName, Decision> context;
    private KeyValueStore<TopicName, TopicState> states;
    private WindowStore<String, String> seen;

    /** @param clock the wall clock an alert's tagged → decided latency is measured on, the one its article was tagged on */
    public EscalationProcessor(String stateStoreName, String seenStoreName, Scorer scorer, Duration expiryInterval, StreamsMetrics metrics, Clock clock) {
        this.stateStoreName = Objects.requireNonNull(stateStoreName, "stateStoreName");
        this.seenStoreName = Objects.requireNonNull(seenStoreName, "seenStoreName");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.expiryInterval = Objects.requireNonNull(expiryInterval, "expiryInterval");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void init(ProcessorContext<TopicName, Decision> context) {
        this.context = context;
        this.states = context.getStateStore(stateStoreName);
        this.seen = context.getStateStore(seenStoreName);
        context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, now -> expire(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<TopicName, TopicHit> record) {
        TopicName topic = record.key();
        TopicHit hit = record.value();
        String seenKey = topic.value() + "/" + hit.article().value();
        Scorer.Step step = scorer.onHit(states.get(topic), topic, hit, wasSeen(seenKey, hit.eventTime()));
        if (step.outcome() == Scorer.Outcome.NEW_STORY || step.outcome() == Scorer.Outcome.COPY) {
            seen.put(seenKey, step.story().value(), hit.eventTime().toEpochMilli());
        }
        metrics.hit(topic, step.outcome());
        apply(topic, step);
        if (step.alert().isPresent() && hit.taggedAt() != null) {
            metrics.taggedToAlert(Duration.between(hit.taggedAt(), clock.instant()));
        }
    }

    private boolean wasSeen(String key, Instant at) {
        long retention = scorer.parameters().dedupeRetention().toMillis();
        try (WindowStoreIterator<String> it = seen.fetch(key, Instant.ofEpochMilli(at.toEpochMilli() - retention), Instant.ofEpochMilli(at.toEpochMilli() + retention))) {
            return it.hasNext();
        }
    }

    private void expire(Instant now) {
        List<KeyValue<TopicName, TopicState>> all = new ArrayList<>();
        try (KeyValueIterator<TopicName, TopicState> it = states.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<TopicName, TopicState> kv : all) {
            scorer.onTime(kv.value, now).ifPresent(step -> apply(kv.key, step));
        }
    }

    private void apply(TopicName topic, Scorer.Step step) {
        if (step.dropped() > 0) {
            metrics.storiesDropped(topic, step.dropped());
            if (step.firstDropOfEpisode()) {
                log.warn("topic {}: {} stories in its window, more than one state record keeps; the weakest are dropped from the score "
                        + "(vigil.topic.stories.dropped counts them; logged once per episode)", topic.value(), step.state().stories().size() + step.dropped());
            }
        }
        states.put(topic, step.state());
        long at = step.score().window().end().toEpochMilli();
        context.forward(new Record<>(topic, new Decision.ScoreUpdate(step.score()), at));
        metrics.score(step.score());
        step.alert().ifPresent(alert -> {
            context.forward(new Record<>(topic, new Decision.LevelChange(alert), at));
            metrics.levelChanged(alert);
        });
    }
}
