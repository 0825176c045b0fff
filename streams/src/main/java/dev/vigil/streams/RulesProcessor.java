package dev.vigil.streams;

import dev.vigil.model.LogText;
import dev.vigil.model.RulesRelease;
import dev.vigil.model.Topics;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.streams.rules.ActiveRules;
import dev.vigil.streams.rules.AlertingPolicy;
import dev.vigil.streams.rules.RuleSet;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code rules} store from {@code vigil.rules} and switches the tagging step to
 * each valid release. Kafka Streams also runs it over the topic when it restores the store at
 * start-up, so a restarted service comes back on the latest valid release.
 *
 * <p>Values arrive as bytes and are read here, not by a serde: a record that is not a release,
 * or a release whose rules are not valid, is logged with its offset and every problem (file,
 * line, column), counted as {@code rejected}, and the rules in force stay. Only valid releases
 * enter the store.
 */
final class RulesProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(RulesProcessor.class);

    private final String storeName;
    private final ActiveRules active;
    private final AlertingPolicy scoring;
    private final StreamsMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    /** @param scoring the alerting policy the scoring step was built with, to warn when a release changes it */
    RulesProcessor(String storeName, ActiveRules active, AlertingPolicy scoring, StreamsMetrics metrics) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.active = Objects.requireNonNull(active, "active");
        this.scoring = Objects.requireNonNull(scoring, "scoring");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String where = context.recordMetadata().map(m -> m.topic() + " offset " + m.offset()).orElse(Topics.RULES.name());
        String inForce = active.matcher().rules().version();
        if (record.value() == null) {
            metrics.rulesReload("rejected", null);
            log.error("rules: {}: a record without a value cannot replace a rule set; the rules in force ({}) stay", where, inForce);
            return;
        }
        RulesRelease release;
        try {
            release = Topics.RULES.value(record.value());
        } catch (SerializationException e) {
            metrics.rulesReload("rejected", null);
            log.error("rules: {}: not a rule set release ({}); the rules in force ({}) stay", where, LogText.of(e.getMessage()), inForce);
            return;
        }
        ActiveRules.Reload reload = active.apply(release);
        if (reload instanceof ActiveRules.Reload.Applied applied) {
            store.put(RulesRelease.KEY, record.value());
            metrics.rulesReload("applied", applied.compileTime());
            RuleSet rules = applied.rules();
            log.info("rules: now in force {} ({} topics, {} signals), applied by {} at {}{}; compiled in {} ms", rules.version(),
                    rules.topics().size(), rules.signals().size(), LogText.of(release.author()), release.appliedAt(),
                    LogText.of(release.comment().isBlank() ? "" : ": " + release.comment()), applied.compileTime().toMillis());
            if (!rules.alerting().equals(scoring)) {
                log.info("rules: {} changes the alerting section (window, levels or hysteresis); scoring uses it from the next article or window slide",
                        rules.version());
            }
        } else if (reload instanceof ActiveRules.Reload.Unchanged) {
            store.put(RulesRelease.KEY, record.value());
            metrics.rulesReload("unchanged", null);
        } else {
            ActiveRules.Reload.Rejected rejected = (ActiveRules.Reload.Rejected) reload;
            metrics.rulesReload("rejected", null);
            log.error("rules: {}: release v{} applied by {} at {} is not valid; the rules in force ({}) stay:\n{}", where, release.version(),
                    LogText.of(release.author()), release.appliedAt(), inForce,
                    rejected.problems().stream().map(ConfigProblem::toString).map(p -> "  " + LogText.escape(p)).collect(Collectors.joining("\n")));
        }
    }
}
