package dev.vigil.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record Streams could not process, as it lands on {@code vigil.articles.dlq}: the source
 * record's key and value bytes unchanged, and headers that say where it came from and why.
 * {@code vigil dlq list} reads them, {@code vigil dlq replay} writes the bytes back to their
 * source topic.
 *
 * <pre>{@code
 * vigil.dlq.topic      vigil.articles
 * vigil.dlq.partition  2
 * vigil.dlq.offset     1377
 * vigil.dlq.reason     unsupported_schema
 * vigil.dlq.message    not a valid Article: schemaVersion: expected 1, found 2
 * vigil.dlq.at         2026-12-01T23:40:00Z
 * }</pre>
 *
 * A value too big to fit with its headers in {@link Topic#MAX_RECORD_BYTES} is cut there, and
 * {@code vigil.dlq.value.bytes} gives its original length (so a replay can tell).
 */
public final class DeadLetter {

    public static final String TOPIC = "vigil.dlq.topic";
    public static final String PARTITION = "vigil.dlq.partition";
    public static final String OFFSET = "vigil.dlq.offset";
    public static final String REASON = "vigil.dlq.reason";
    public static final String MESSAGE = "vigil.dlq.message";
    public static final String AT = "vigil.dlq.at";
    /** Present only when the value was cut to fit: its original length in bytes. */
    public static final String VALUE_BYTES = "vigil.dlq.value.bytes";

    /** Longest message header kept, in characters. */
    static final int MAX_MESSAGE_CHARS = 1_000;
    /** Room kept for the headers when a value must be cut to fit. */
    static final int HEADER_ROOM = 4_096;

    private DeadLetter() {
    }

    /** Why a record was dead-lettered, in a bounded set of words (usable as a metric tag). */
    public enum Reason {
        /** No bytes at all (a tombstone is not one: those are skipped). */
        EMPTY,
        /** Not JSON: text that does not parse, binary. */
        NOT_JSON,
        /** JSON, but a field has the wrong type (an object for a time, text for a number). */
        WRONG_TYPE,
        /** Well-formed, but breaks the record's rules (a missing id, a negative offset). */
        INVALID,
        /** A {@code schemaVersion} this code does not read. */
        UNSUPPORTED_SCHEMA,
        /** What it would have become is over {@link Topic#MAX_RECORD_BYTES}. */
        TOO_LARGE,
        /** What it would have become could not be serialised. */
        UNSERIALIZABLE,
        /** Kafka refused to take what it became. */
        UNDELIVERABLE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The reason a value could not be read, from the bytes and what reading them threw. */
        public static Reason ofReadFailure(byte[] value, Throwable failure) {
            if (value != null && value.length == 0) {
                return EMPTY;
            }
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof UnsupportedSchemaException) {
                    return UNSUPPORTED_SCHEMA;
                }
            }
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof ValueInstantiationException) {
                    return INVALID;
                }
                if (t instanceof MismatchedInputException) {
                    return WRONG_TYPE;
                }
                if (t instanceof StreamReadException) {
                    return NOT_JSON;
                }
                if (t instanceof JsonProcessingException) {
                    return INVALID;
                }
                if (t instanceof RecordTooLargeException) {
                    return TOO_LARGE;
                }
            }
            return INVALID;
        }
    }

    /**
     * The dead letter of one source record.
     *
     * @param topic     the dead-letter topic to write to
     * @param source    where the record was read: topic, partition, offset
     * @param key       its key bytes, as read (may be null)
     * @param value     its value bytes, as read (may be null)
     * @param reason    why
     * @param message   the detail, for people; control characters are escaped and it is cut short
     */
    public static ProducerRecord<byte[], byte[]> record(String topic, Source source, byte[] key, byte[] value, Reason reason, String message, Instant at) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        Headers headers = new RecordHeaders();
        headers.add(TOPIC, utf8(source.topic()));
        headers.add(PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(OFFSET, utf8(String.valueOf(source.offset())));
        headers.add(REASON, utf8(reason.wireName()));
        headers.add(MESSAGE, utf8(LogText.escape(message, MAX_MESSAGE_CHARS)));
        headers.add(AT, utf8(at.toString()));
        int keyBytes = key == null ? 0 : Math.min(key.length, MAX_MESSAGE_CHARS);
        byte[] k = key == null ? null : Arrays.copyOf(key, keyBytes);
        int room = Topic.MAX_RECORD_BYTES - HEADER_ROOM - keyBytes;
        byte[] v = value;
        if (value != null && value.length > room) {
            headers.add(VALUE_BYTES, utf8(String.valueOf(value.length)));
            v = Arrays.copyOf(value, room);
        }
        return new ProducerRecord<>(topic, null, null, k, v, headers);
    }

    /** Where a record was read. */
    public record Source(String topic, int partition, long offset) {
        public Source {
            topic = Objects.requireNonNullElse(topic, "");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
