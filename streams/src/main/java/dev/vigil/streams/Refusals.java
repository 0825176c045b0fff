package dev.vigil.streams;

import dev.vigil.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Source records whose output Kafka refused to take. Under exactly-once a refused send dooms the
 * open transaction (KAFKA-9279) and the stream thread fails; {@link StreamsService} then replaces
 * the thread instead of stopping, the task reads the record again from its last commit, and the
 * topology dead-letters it ({@link Sized.Check}) instead of writing it a second time. A record
 * refused twice (its dead letter refused too), or more than {@link #MAX_REPLACEMENTS} refusals,
 * stop the instance as any other fatal error does. A refusal is reported after the send, when the
 * task may have moved on to a later record, so the refused record is known by its key as well as
 * by the source offset the handler saw. One per Streams client; thread-safe.
 */
final class Refusals {

    /** Most failed threads replaced for refusals in the life of one Streams client. */
    static final int MAX_REPLACEMENTS = 20;

    private final Set<DeadLetter.Source> sources = ConcurrentHashMap.newKeySet();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean fresh = new AtomicBoolean();
    private final AtomicBoolean repeated = new AtomicBoolean();
    private final AtomicInteger replacements = new AtomicInteger();

    /** Kafka refused a record with this key, written while processing the record at {@code source}. */
    void refused(DeadLetter.Source source, byte[] key) {
        boolean newKey = key == null || keys.add(new String(key, StandardCharsets.UTF_8));
        if (sources.add(source) || newKey) {
            fresh.set(true);
        } else {
            repeated.set(true);
        }
    }

    /** Whether the record at {@code source}, or one whose output had key {@code key}, was refused before. */
    boolean contains(DeadLetter.Source source, String key) {
        return sources.contains(source) || keys.contains(key);
    }

    /**
     * Whether a thread that just failed should be replaced: a record was newly refused since the
     * last time this was asked, none was refused twice, and the budget of replacements lasts.
     */
    boolean replaceFailedThread() {
        return fresh.getAndSet(false) && !repeated.get() && replacements.incrementAndGet() <= MAX_REPLACEMENTS;
    }
}
