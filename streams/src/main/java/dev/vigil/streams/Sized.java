package dev.vigil.streams;

import dev.vigil.model.ArticleId;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.Topic;
import dev.vigil.model.TaggedArticle;
import dev.vigil.model.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * @param bytes key plus value bytes
 */
record Sized(TaggedArticle article, byte[] json, int bytes) {

    boolean fits() {
        return bytes <= Topic.MAX_RECORD_BYTES;
    }

    /**
     * Serialises each tagged article once. Headers a foreign producer put on the source record
     * are not carried along: Vigil's records have none, and they would count against the limit.
     */
    static final class Check implements FixedKeyProcessor<ArticleId, TaggedArticle, Sized> {
        private FixedKeyProcessorContext<ArticleId, Sized> context;

        @Override
        public void init(FixedKeyProcessorContext<ArticleId, Sized> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<ArticleId, TaggedArticle> record) {
            byte[] json = Topics.ARTICLES_TAGGED.valueSerde().serializer().serialize(Topics.ARTICLES_TAGGED.name(), record.value());
            int key = record.key().value().getBytes(StandardCharsets.UTF_8).length;
            context.forward(record.withValue(new Sized(record.value(), json, key + json.length)).withHeaders(new RecordHeaders()));
        }
    }

    /** The dead letter of a tagged article over the limit: the article as read (re-serialised), where it came from, and why. */
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
            DeadLetter.Source source = context.recordMetadata().map(m -> new DeadLetter.Source(m.topic(), m.partition(), m.offset()))
                    .orElse(new DeadLetter.Source("", -1, -1));
            byte[] key = Topics.ARTICLES.keySerde().serializer().serialize(Topics.ARTICLES.name(), record.key());
            byte[] value = Topics.ARTICLES.valueSerde().serializer().serialize(Topics.ARTICLES.name(), record.value().article().article());
            ProducerRecord<byte[], byte[]> letter = deadLetters.letter(source, key, value, DeadLetter.Reason.TOO_LARGE, "tagged, it would take "
                    + record.value().bytes() + " bytes, over the limit of " + Topic.MAX_RECORD_BYTES + " (its evidence or escaped text is too long)");
            context.forward(new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()));
        }
    }
}
