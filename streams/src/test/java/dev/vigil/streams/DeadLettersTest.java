package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.DeadLetter;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The handlers Kafka Streams creates by class name write dead letters to the deployment's own dead-letter topic. */
class DeadLettersTest {

    private static final byte[] GARBAGE = "not json".getBytes(StandardCharsets.UTF_8);

    private static DeadLetters configured(Map<String, ?> configs) {
        DeadLetters handlers = new DeadLetters();
        handlers.configure(configs);
        return handlers;
    }

    private static String deadLetterTopic(DeadLetters handlers, String source) {
        var response = handlers.handleError(null, new ConsumerRecord<>(source, 0, 7L, "k".getBytes(StandardCharsets.UTF_8), GARBAGE),
                new SerializationException("unreadable"));
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        return response.deadLetterQueueRecords().get(0).topic();
    }

    @Test
    void anUnreadableRecordIsDeadLetteredUnderTheTopicPrefix() {
        DeadLetters handlers = configured(Map.of(DeadLetters.TOPIC_PREFIX_CONFIG, "staging."));
        assertThat(deadLetterTopic(handlers, "staging." + Topics.ARTICLES.name())).isEqualTo("staging." + Topics.ARTICLES_DLQ.name());
    }

    @Test
    void withoutAPrefixTheDeadLetterTopicIsVigils() {
        assertThat(deadLetterTopic(configured(Map.of()), Topics.ARTICLES.name())).isEqualTo(Topics.ARTICLES_DLQ.name());
    }

    @Test
    void aDeadLetterIsStampedWithTheClockTheHandlersAreGiven() {
        Instant at = Instant.parse("2025-11-16T12:34:56.789Z");
        DeadLetters handlers = configured(Map.of(DeadLetters.CLOCK_CONFIG, Clock.fixed(at, ZoneOffset.UTC)));
        var response = handlers.handleError(null, new ConsumerRecord<>(Topics.ARTICLES.name(), 0, 7L, "k".getBytes(StandardCharsets.UTF_8), GARBAGE),
                new SerializationException("unreadable"));
        var stamp = response.deadLetterQueueRecords().get(0).headers().lastHeader(DeadLetter.AT);
        assertThat(new String(stamp.value(), StandardCharsets.UTF_8)).isEqualTo(at.toString());
    }

    @Test
    void aDeadLetterThatCannotBeWrittenToThePrefixedTopicIsNotDeadLetteredAgain() {
        DeadLetters handlers = configured(Map.of(DeadLetters.TOPIC_PREFIX_CONFIG, "staging."));
        var response = handlers.handleError(null, new ProducerRecord<>("staging." + Topics.ARTICLES_DLQ.name(), new byte[0], GARBAGE),
                new RecordTooLargeException("too large"));
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }
}
