package dev.vigil.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
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
 * {@code vigil.dlq.value.bytes} gives its original length (so a replay can tell); a key over 1,000
 * bytes likewise, with {@code vigil.dlq.key.bytes}. A null key or value stays null (a tombstone
 * stays one), an empty one empty.
 *
 * <p>A dead letter may also keep the source record's own headers ({@link #HEADERS}): they come
 * first, unchanged and in order, and the headers above follow, so {@code lastHeader} reads them
 * even when the source carried a header of the same name. The alerts service and Streams keep them
 * (Streams wherever Kafka shows its handlers the source's headers), and a replay writes them back.
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
    /** Present only when the key was cut to fit: its original length in bytes. */
    public static final String KEY_BYTES = "vigil.dlq.key.bytes";
    /**
     * Present when the source record's headers were kept: how many of the dead letter's headers,
     * from the first, are the source's own.
     */
    public static final String HEADERS = "vigil.dlq.headers";
    /**
     * Present only when the source record's headers were too big to keep beside its key (none is
     * then kept): their size in bytes, names and values.
     */
    public static final String HEADERS_BYTES = "vigil.dlq.headers.bytes";

    /** Longest message header kept, in characters. */
    static final int MAX_MESSAGE_CHARS = 1_000;
    /** Room kept for the headers when a value must be cut to fit. */
    static final int HEADER_ROOM = 4_096;

    private DeadLetter() {
    }

    /** Why a record was dead-lettered, in a bounded set of words (usable as a metric tag). */
    public enum Reason {
        /**
         * No bytes at all: an empty value, or none (a tombstone) on a topic where each record must
         * be an event ({@code vigil.alerts}; Streams skips tombstones).
         */
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
     * The dead letter of one source record, without its headers.
     *
     * @param topic     the dead-letter topic to write to
     * @param source    where the record was read: topic, partition, offset
     * @param key       its key bytes, as read (may be null)
     * @param value     its value bytes, as read (may be null)
     * @param reason    why
     * @param message   the detail, for people; control characters are escaped and it is cut short
     */
    public static ProducerRecord<byte[], byte[]> record(String topic, Source source, byte[] key, byte[] value, Reason reason, String message, Instant at) {
        return record(topic, source, key, value, null, reason, message, at);
    }

    /**
     * The dead letter of one source record, keeping its headers ({@link #HEADERS}) when
     * {@code sourceHeaders} is not null.
     *
     * <pre>{@code
     * DeadLetter.record("vigil.alerts.malformed", new DeadLetter.Source(r.topic(), r.partition(), r.offset()),
     *         r.key(), r.value(), r.headers(), Reason.NOT_JSON, "not a valid Alert: ...", clock.instant());
     * }</pre>
     */
    public static ProducerRecord<byte[], byte[]> record(String topic, Source source, byte[] key, byte[] value, Headers sourceHeaders, Reason reason,
                                                        String message, Instant at) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        Headers headers = new RecordHeaders();
        int keyBytes = key == null ? 0 : Math.min(key.length, MAX_MESSAGE_CHARS);
        byte[] k = key == null ? null : Arrays.copyOf(key, keyBytes);
        int room = Topic.MAX_RECORD_BYTES - HEADER_ROOM - keyBytes;
        if (sourceHeaders != null) {
            int kept = 0;
            int headerBytes = sizeOf(sourceHeaders);
            if (headerBytes <= room) {
                for (Header h : sourceHeaders) {
                    headers.add(h.key(), h.value());
                    kept++;
                }
                room -= headerBytes;
            } else {
                headers.add(HEADERS_BYTES, utf8(String.valueOf(headerBytes)));
            }
            headers.add(HEADERS, utf8(String.valueOf(kept)));
        }
        headers.add(TOPIC, utf8(source.topic()));
        headers.add(PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(OFFSET, utf8(String.valueOf(source.offset())));
        headers.add(REASON, utf8(reason.wireName()));
        headers.add(MESSAGE, utf8(LogText.escape(message, MAX_MESSAGE_CHARS)));
        headers.add(AT, utf8(at.toString()));
        if (key != null && key.length > keyBytes) {
            headers.add(KEY_BYTES, utf8(String.valueOf(key.length)));
        }
        byte[] v = value;
        if (value != null && value.length > room) {
            headers.add(VALUE_BYTES, utf8(String.valueOf(value.length)));
            v = Arrays.copyOf(value, room);
        }
        return new ProducerRecord<>(topic, null, null, k, v, headers);
    }

    /**
     * The source record's own headers a dead letter kept, in their order: none when it kept none
     * (or is no dead letter). What a replay writes back with the key and value.
     */
    public static List<Header> sourceHeaders(Headers deadLetter) {
        Header count = deadLetter.lastHeader(HEADERS);
        int n;
        try {
            n = count == null ? 0 : Integer.parseInt(new String(count.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            n = 0;
        }
        Header[] all = deadLetter.toArray();
        return List.of(Arrays.copyOf(all, Math.max(0, Math.min(n, all.length))));
    }

    /**
     * What of the source record a dead letter did not keep whole, for people, if anything: a
     * replay of it would not give the original.
     */
    public static Optional<String> cut(Headers deadLetter) {
        List<String> cut = new ArrayList<>();
        if (deadLetter.lastHeader(KEY_BYTES) != null) {
            cut.add("key");
        }
        if (deadLetter.lastHeader(VALUE_BYTES) != null) {
            cut.add("value");
        }
        if (deadLetter.lastHeader(HEADERS_BYTES) != null) {
            cut.add("headers");
        }
        return cut.isEmpty() ? Optional.empty() : Optional.of("its " + String.join(" and ", cut) + (cut.size() == 1 ? " was" : " were") + " cut to fit");
    }

    private static int sizeOf(Headers headers) {
        int size = 0;
        for (Header h : headers) {
            size += utf8(h.key()).length + (h.value() == null ? 0 : h.value().length);
        }
        return size;
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
