package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.DeadLetter;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** The handlers Kafka Streams creates by class name write dead letters to the deployment's own dead-letter topic. */
class DeadLettersTest {

    private static final byte[] GARBAGE = "not json".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    /** What Kafka Streams tells a processing or production handler of the failed record: where it was read, its bytes and headers. */
    private record Context(String topic, int partition, long offset, Headers headers, byte[] sourceRawKey, byte[] sourceRawValue)
            implements ErrorHandlerContext {
        @Override
        public String processorNodeId() {
            return "tag-articles";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, partition);
        }

        @Override
        public long timestamp() {
            return 0L;
        }
    }

    /** A producer's headers, two of one name (a dead letter keeps both, in order). */
    private static Headers traced() {
        return new RecordHeaders(List.of(new RecordHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("origin", "wire-a".getBytes(StandardCharsets.UTF_8)), new RecordHeader("origin", "wire-b".getBytes(StandardCharsets.UTF_8))));
    }

    private static Context readFrom(Headers headers) {
        return new Context(Topics.ARTICLES.name(), 1, 41L, headers, KEY, GARBAGE);
    }

    private static String text(Header h) {
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void assertKeeps(ProducerRecord<byte[], byte[]> letter, Headers source) {
        assertThat(DeadLetter.sourceHeaders(letter.headers())).containsExactly(source.toArray());
        assertThat(text(letter.headers().lastHeader(DeadLetter.HEADERS))).isEqualTo(String.valueOf(source.toArray().length));
        assertThat(text(letter.headers().lastHeader(DeadLetter.TOPIC))).isEqualTo(Topics.ARTICLES.name());
    }

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

    @Test
    void anUnreadableRecordKeepsItsHeadersForAReplay() {
        Headers source = traced();
        var record = new ConsumerRecord<>(Topics.ARTICLES.name(), 1, 41L, 0L, TimestampType.CREATE_TIME, KEY.length, GARBAGE.length, KEY, GARBAGE,
                source, Optional.empty());
        var response = configured(Map.of()).handleError(readFrom(source), record, new SerializationException("unreadable"));
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter -> assertKeeps(letter, source));
    }

    @Test
    void anUnreadableRecordWithoutHeadersSaysItKeptNone() {
        var record = new ConsumerRecord<>(Topics.ARTICLES.name(), 0, 7L, KEY, GARBAGE);
        var letter = configured(Map.of()).handleError(readFrom(record.headers()), record, new SerializationException("unreadable"))
                .deadLetterQueueRecords().get(0);
        assertThat(text(letter.headers().lastHeader(DeadLetter.HEADERS))).isEqualTo("0");
        assertThat(DeadLetter.sourceHeaders(letter.headers())).isEmpty();
    }

    @Test
    void aRecordWhoseProcessingFailsKeepsTheHeadersStreamsShows() {
        Headers source = traced();
        var response = configured(Map.of()).handleError(readFrom(source), new Record<>("k", "v", 0L, source), new IllegalStateException("boom"));
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter -> {
            assertKeeps(letter, source);
            assertThat(letter.value()).isEqualTo(GARBAGE);
        });
    }

    @Test
    void aRecordKafkaRefusesUnderAtLeastOnceKeepsItsHeaders() {
        Headers source = traced();
        DeadLetters handlers = configured(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        var response = handlers.handleError(readFrom(source), new ProducerRecord<>(Topics.ARTICLES_TAGGED.name(), null, KEY, GARBAGE, source),
                new RecordTooLargeException("too large"));
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter -> assertKeeps(letter, source));
    }

    @Test
    void pastTheStepThatDropsTheHeadersADeadLetterDoesNotClaimTheSourceHadNone() {
        DeadLetters handlers = configured(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        Headers dropped = new Sized.Dropped();
        var refused = handlers.handleError(readFrom(dropped), new ProducerRecord<>(Topics.ARTICLES_TAGGED.name(), null, KEY, GARBAGE, dropped),
                new RecordTooLargeException("too large")).deadLetterQueueRecords().get(0);
        var failed = handlers.handleError(readFrom(dropped), new Record<>("k", "v", 0L, dropped), new IllegalStateException("boom"))
                .deadLetterQueueRecords().get(0);
        for (var letter : List.of(refused, failed)) {
            assertThat(letter.headers().lastHeader(DeadLetter.HEADERS)).isNull();
            assertThat(letter.headers().toArray()[0].key()).isEqualTo(DeadLetter.TOPIC);
        }
    }
}
