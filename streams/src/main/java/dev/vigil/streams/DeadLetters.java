package dev.vigil.streams;

import dev.vigil.model.DeadLetter;
import dev.vigil.model.LogText;
import dev.vigil.model.DeadLetter.Reason;
import dev.vigil.model.Topic;
import dev.vigil.model.Topics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams' answer to a record it cannot read, process or write: dead-letter it to
 * {@code vigil.articles.dlq} ({@link DeadLetter}: the source bytes and headers, topic, partition,
 * offset and reason), log one line, count it on {@link StreamsMetrics#DEAD_LETTERS}, and go on
 * with the next record. Kafka Streams' own dead-letter support (KIP-1034) sends what a handler
 * returns within the task's transaction, so under {@code exactly_once_v2} the dead letter and the
 * source offset commit together, and a restart neither repeats nor loses it.
 *
 * <p>A failed <em>send</em> is different: under exactly-once the producer has already doomed the
 * open transaction (KAFKA-9279), so no answer of a handler could save it, and a plain CONTINUE
 * would fail the task at the same offset after every restart. So the topology never hands the
 * producer a record over {@link dev.vigil.model.Topic#MAX_RECORD_BYTES} (it dead-letters it
 * itself, {@link VigilTopology}); and when Kafka still refuses one (a topic whose
 * {@code max.message.bytes} is lower), this handler records its source in {@link Refusals} and
 * fails the thread, {@link StreamsService} replaces the thread, and the record, read again from
 * the last commit, is dead-lettered instead of sent. Under at-least-once, where no transaction is
 * in the way, a refused record is dead-lettered at once.
 *
 * <p>The source record's headers are kept ({@link DeadLetter#HEADERS}), so a replay writes them
 * back, wherever the handler sees them: always for a record that cannot be read (Kafka hands over
 * the record as read), and for a failure to process or write a record before the step that drops
 * them from the tagged record ({@link Sized.Check}, which keeps them for the dead letters the
 * topology writes itself). Past that step Kafka only shows the headers Vigil forwards, none, and a
 * dead letter keeps no headers rather than claim the source had none.
 */
public final class DeadLetters implements DeserializationExceptionHandler, ProductionExceptionHandler, ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    /**
     * The Streams property that hands the handlers their {@link StreamsMetrics} (an object, not a
     * string: Kafka passes the original properties to {@link #configure}).
     */
    public static final String METRICS_CONFIG = "vigil.dead.letters.metrics";
    /** The Streams property that hands the handlers the client's {@link Refusals} (an object too). */
    static final String REFUSALS_CONFIG = "vigil.dead.letters.refusals";
    /** The Streams property that hands the handlers the deployment's topic prefix (a string), for the name of the dead-letter topic. */
    public static final String TOPIC_PREFIX_CONFIG = "vigil.dead.letters.topic.prefix";
    /** The Streams property that hands the handlers the {@link Clock} that stamps a dead letter's time (an object; the system clock without it). */
    static final String CLOCK_CONFIG = "vigil.dead.letters.clock";

    private StreamsMetrics metrics;
    /** {@code vigil.articles.dlq} as this deployment names it. */
    private Topic<byte[], byte[]> dlq = Topics.ARTICLES_DLQ;
    private Refusals refusals;
    private boolean exactlyOnce = true;
    private Clock clock = Clock.systemUTC();

    /** The handlers Kafka Streams creates from the class names in the Streams properties. */
    public DeadLetters() {
    }

    /** Dead letters the topology writes itself (a tagged article over the record limit). */
    DeadLetters(StreamsMetrics metrics, String topicPrefix, Clock clock) {
        this.metrics = metrics;
        this.dlq = Topics.ARTICLES_DLQ.prefixed(topicPrefix);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void configure(Map<String, ?> configs) {
        metrics = configs.get(METRICS_CONFIG) instanceof StreamsMetrics m ? m : null;
        refusals = configs.get(REFUSALS_CONFIG) instanceof Refusals r ? r : null;
        dlq = Topics.ARTICLES_DLQ.prefixed(configs.get(TOPIC_PREFIX_CONFIG) instanceof String prefix ? prefix : "");
        clock = configs.get(CLOCK_CONFIG) instanceof Clock c ? c : Clock.systemUTC();
        exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(String.valueOf(configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        Reason reason = Reason.ofReadFailure(record.value(), exception);
        DeadLetter.Source source = new DeadLetter.Source(record.topic(), record.partition(), record.offset());
        return DeserializationExceptionHandler.Response.resume(List.of(
                letter(source, record.key(), record.value(), record.headers(), reason, "cannot read: " + exception.getMessage())));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof StreamsException) {
            // Kafka Streams' own failure surfacing through a processor (a refused send, a fenced producer): not this
            // record's fault, and Streams must handle it itself
            return ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(List.of(
                letter(source(context), context.sourceRawKey(), context.sourceRawValue(), sourceHeaders(context), Reason.INVALID,
                        "cannot process (" + context.processorNodeId() + "): " + exception)));
    }

    @Override
    @SuppressWarnings("rawtypes") // Kafka declares the record raw: it is whatever the failed serialiser was given
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                                                        SerializationExceptionOrigin origin) {
        return ProductionExceptionHandler.Response.resume(List.of(
                letter(source(context), context.sourceRawKey(), context.sourceRawValue(), sourceHeaders(context), Reason.UNSERIALIZABLE,
                        "cannot serialise for " + record.topic() + ": " + exception.getMessage())));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (record.topic().equals(dlq.name())) {
            // a dead letter that cannot be written is not dead-lettered again
            log.error("streams: cannot write a dead letter to {}: {}", dlq, LogText.escape(exception.toString(), 500));
            return ProductionExceptionHandler.Response.resume();
        }
        if (exception instanceof RetriableException) {
            // the broker is slow or away for now: Kafka Streams retries the task, as its default handler does
            return ProductionExceptionHandler.Response.retry();
        }
        DeadLetter.Source source = source(context);
        if (exactlyOnce) {
            // the transaction is lost whatever this answers: remember the source, so that when its task reads it
            // again (on a replaced thread, or another instance) the topology dead-letters it instead (and counts it then)
            if (refusals != null) {
                refusals.refused(source, record.key());
            }
            log.error("streams: Kafka refused a record for {} from {}-{}@{}; under exactly-once this aborts the transaction, and the record is "
                    + "dead-lettered when it is read again: {}", record.topic(), source.topic(), source.partition(), source.offset(),
                    LogText.escape(exception.toString(), 500));
            return ProductionExceptionHandler.Response.fail();
        }
        return ProductionExceptionHandler.Response.resume(List.of(
                letter(source, context.sourceRawKey(), context.sourceRawValue(), sourceHeaders(context), Reason.UNDELIVERABLE,
                        "cannot write to " + record.topic() + ": " + exception)));
    }

    private static DeadLetter.Source source(ErrorHandlerContext context) {
        return new DeadLetter.Source(context.topic(), context.partition(), context.offset());
    }

    /**
     * The source record's headers, as the context has them (those of the record at the failed step,
     * which Vigil's steps forward unchanged up to {@link Sized.Check}); null where they are not the
     * source's: past that step ({@link Sized.Dropped}), or with no source record (a punctuation).
     */
    private static Headers sourceHeaders(ErrorHandlerContext context) {
        Headers headers = context.headers();
        return context.topic() == null || headers instanceof Sized.Dropped ? null : headers;
    }

    /** The dead letter of one source record, with its headers when {@code sourceHeaders} is not null, logged and counted. */
    ProducerRecord<byte[], byte[]> letter(DeadLetter.Source source, byte[] key, byte[] value, Headers sourceHeaders, Reason reason, String message) {
        ProducerRecord<byte[], byte[]> letter = DeadLetter.record(dlq.name(), source, key, value, sourceHeaders, reason, message, clock.instant());
        count(reason);
        log.warn("streams: dead-lettered {}-{}@{} to {} ({}): {}", source.topic(), source.partition(), source.offset(), dlq,
                reason.wireName(), LogText.escape(message, 500));
        return letter;
    }

    private void count(Reason reason) {
        if (metrics != null) {
            metrics.deadLettered(reason);
        }
    }
}
