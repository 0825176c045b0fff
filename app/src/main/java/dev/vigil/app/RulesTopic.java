package dev.vigil.app;

import dev.vigil.model.LogText;
import dev.vigil.model.RulesRelease;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.kafka.TopicReader;
import dev.vigil.model.kafka.TopicReader.Change;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the latest release from {@code vigil.rules} and publishes the next one. */
final class RulesTopic {

    private static final Logger log = LoggerFactory.getLogger(RulesTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConnection kafka;
    /** {@code Topics.RULES} as this deployment names it. */
    private final Topic<String, RulesRelease> rulesTopic;

    RulesTopic(KafkaConnection kafka) {
        this.kafka = kafka;
        this.rulesTopic = kafka.topic(Topics.RULES);
    }

    /** The last readable release on the topic; empty when none was ever applied. */
    Optional<RulesRelease> latest() {
        try (TopicReader<Change<String, RulesRelease>> reader = TopicReader.changes(kafka, rulesTopic, "vigil-rules", TopicReader.Start.beginning(), TIMEOUT,
                bad -> log.warn("rules: {} offset {} is not a release and is skipped: {}", bad.topic(), bad.offset(), LogText.of(bad.reason())))) {
            RulesRelease latest = null;
            for (Change<String, RulesRelease> change : reader.readToEnd(TIMEOUT)) {
                if (!change.isTombstone()) {
                    latest = change.value();
                }
            }
            return Optional.ofNullable(latest);
        }
    }

    /** Publishes a release and waits until the cluster has it. */
    void publish(RulesRelease release) {
        Properties p = kafka.durableProducer("vigil-rules-apply");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(rulesTopic.record(RulesRelease.KEY, release)).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaProblem.of(kafka, "publish the rules to " + rulesTopic.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the rules", e);
        }
    }
}
