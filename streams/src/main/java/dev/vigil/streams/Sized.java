package dev.vigil.streams;

import dev.vigil.model.ArticleId;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.Topic;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A tagged article with its JSON as vigil.articles.tagged takes it, and its size as a record.
 *
 * @param bytes         key plus value bytes
 * @param refused       Kafka refused this source record's output before ({@link Refusals})
 * @param sourceHeaders the source record's headers, which the record no longer carries: kept for
 *                      its dead letter ({@link Letter})
 */
record Sized(TaggedArticle article, byte[] json, int bytes, boolean refused, Headers sourceHeaders) {

    boolean fits() {
        return bytes <= Topic.MAX_RECORD_BYTES && !refused;
    }

    private static DeadLetter.Source source(java.util.Optional<org.apache.kafka.streams.processor.api.RecordMetadata> metadata) {
        return metadata.map(m -> new DeadLetter.Source(m.topic(), m.partition(), m.offset())).orElse(new DeadLetter.Source("", -1, -1));
    }

    /**
     * What {@link Check} forwards in place of the source record's headers: none, of a type that
     * tells {@link DeadLetters} that the source's own were dropped here, so that a dead letter
     * written past this step does not claim the source had none.
     */
    static final class Dropped extends RecordHeaders {
    }

    /**
     * Serialises each tagged article once. Headers a foreign producer put on the source record
     * are not carried along: Vigil's records have none, and they would count against the limit.
     * They stay on the {@link Sized} value, for a dead letter.
     */
    static final class Check implements FixedKeyProcessor<ArticleId, TaggedArticle, Sized> {
        private final Refusals refusals;
        private FixedKeyProcessorContext<ArticleId, Sized> context;

        Check(Refusals refusals) {
            this.refusals = refusals;
        }

        @Override
        public void init(FixedKeyProcessorContext<ArticleId, Sized> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<ArticleId, TaggedArticle> record) {
            byte[] json = Topics.ARTICLES_TAGGED.valueSerde().serializer().serialize(Topics.ARTICLES_TAGGED.name(), record.value());
            int key = record.key().value().getBytes(StandardCharsets.UTF_8).length;
            boolean refused = refusals.contains(source(context.recordMetadata()), record.key().value());
            context.forward(record.withValue(new Sized(record.value(), json, key + json.length, refused, record.headers())).withHeaders(new Dropped()));
        }
    }

    /**
     * The dead letter of a tagged article over the limit: the article as read (re-serialised), the
     * source record's headers, where it came from, and why.
     */
    static final class Letter implements Processor<ArticleId, Sized, byte[], byte[]> {
        private final DeadLetters deadLetters;
        private ProcessorContext<byte[], byte[]> context;

        Letter(DeadLetters deadLetters) {
            this.deadLetters = deadLetters;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<ArticleId, Sized> record) {
            Sized sized = record.value();
            byte[] key = Topics.ARTICLES.keySerde().serializer().serialize(Topics.ARTICLES.name(), record.key());
            byte[] value = Topics.ARTICLES.valueSerde().serializer().serialize(Topics.ARTICLES.name(), sized.article().article());
            ProducerRecord<byte[], byte[]> letter = sized.refused()
                    ? deadLetters.letter(source(context.recordMetadata()), key, value, sized.sourceHeaders(), DeadLetter.Reason.UNDELIVERABLE,
                            "Kafka refused its tagged record (" + sized.bytes() + " bytes) when it was read before")
                    : deadLetters.letter(source(context.recordMetadata()), key, value, sized.sourceHeaders(), DeadLetter.Reason.TOO_LARGE, "tagged, it would take "
                            + sized.bytes() + " bytes, over the limit of " + Topic.MAX_RECORD_BYTES + " (its byline, evidence or escaped text is too long)");
            context.forward(new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()));
        }
    }
}
