package dev.vigil.alerts.api;

import dev.vigil.model.Alert;
import dev.vigil.model.Topic;
import dev.vigil.model.TopicName;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.kafka.TopicReader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent alerts, read from every partition of {@code vigil.alerts} (committed records
 * only, no consumer group: every instance sees all of them), for {@code GET /api/alerts} and the
 * event stream. Each entry's event id is the position in every partition just after it, e.g.
 * {@code 0:12,1:4,2:9}; it names a place in the topic itself, so a client resuming with
 * {@code Last-Event-ID} gets exactly what it missed, from any instance and after a restart —
 * as long as that is among the {@code capacity} entries kept.
 */
public final class AlertFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

    /**
     * One alert as the feed holds it.
     *
     * @param seq       this feed's own order of arrival, for waiting on new entries
     * @param partition partition of {@code vigil.alerts}
     * @param offset    offset in it
     * @param eventId   the position after it in every partition: the SSE event id
     * @param alert     the alert
     */
    public record Entry(long seq, int partition, long offset, String eventId, Alert alert) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final TreeMap<Integer, Long> positions = new TreeMap<>();
    private long seq;
    private boolean closed;
    private TopicReader<ConsumerRecord<byte[], byte[]>> reader;
    private Thread thread;
    private volatile boolean running;
    /** {@code vigil.alerts} as the followed deployment names it. */
    private volatile Topic<TopicName, Alert> topic = Topics.ALERTS;

    public AlertFeed(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected at least 1, found " + capacity);
        }
        this.capacity = capacity;
    }

    /** Starts following {@code vigil.alerts}, beginning with the last {@code capacity} records of each partition. */
    public synchronized void follow(KafkaConnection kafka) {
        if (thread != null) {
            return;
        }
        topic = Objects.requireNonNull(kafka, "kafka").topic(Topics.ALERTS);
        reader = TopicReader.records(kafka, topic, "vigil-alerts-feed", TopicReader.Start.last(capacity), Duration.ofSeconds(30));
        running = true;
        thread = new Thread(this::read, "vigil-alerts-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    Alert alert;
                    try {
                        alert = topic.value(record.value());
                    } catch (SerializationException e) {
                        // the delivery loop dead-letters and counts it; the feed only shows valid alerts
                        continue;
                    }
                    if (alert != null) {
                        append(record.partition(), record.offset(), alert);
                    }
                }
            }
        } catch (WakeupException e) {
            // close()
        } catch (KafkaException e) {
            log.error("alerts: the API's alert feed stopped reading {}: {}", topic, e.toString());
        } finally {
            reader.close();
        }
    }

    /** Adds an alert read at {@code partition@offset}; wakes the streams waiting for it. */
    public synchronized Entry append(int partition, long offset, Alert alert) {
        positions.merge(partition, offset + 1, Math::max);
        Entry e = new Entry(++seq, partition, offset, eventId(positions), alert);
        entries.addLast(e);
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
        notifyAll();
        return e;
    }

    /** Up to {@code limit} of the most recent entries that pass {@code filter}, newest first. */
    public synchronized List<Entry> recent(Predicate<Alert> filter, int limit) {
        List<Entry> out = new ArrayList<>();
        var it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Entry e = it.next();
            if (filter.test(e.alert())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Up to {@code limit} of the most recent entries that pass {@code filter} (oldest first) and
     * the sequence number to wait after: read together, so nothing arrives between the two unseen.
     */
    public synchronized Resume latest(Predicate<Alert> filter, int limit) {
        List<Entry> newestFirst = recent(filter, limit);
        List<Entry> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return new Resume(oldestFirst, seq);
    }

    /** The newest entry's sequence number (0 when empty): a stream that starts now waits for entries after it. */
    public synchronized long lastSeq() {
        return seq;
    }

    /**
     * The entries a client has not seen, given the event id it saw last (oldest first), and the
     * sequence number to wait after from then on.
     */
    public synchronized Resume resume(String lastEventId) {
        Map<Integer, Long> seen = parseEventId(lastEventId);
        List<Entry> missed = entries.stream().filter(e -> e.offset() >= seen.getOrDefault(e.partition(), 0L)).toList();
        return new Resume(missed, seq);
    }

    /** What {@link #resume} found. */
    public record Resume(List<Entry> missed, long seq) {
    }

    /** Entries after {@code after}, oldest first, waiting up to {@code timeout} for one; empty on timeout or close. */
    public synchronized List<Entry> await(long after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed && seq <= after) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return entries.stream().filter(e -> e.seq() > after).toList();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Parses an event id such as {@code 0:12,1:4}; anything malformed counts as "seen nothing". */
    static Map<Integer, Long> parseEventId(String id) {
        Map<Integer, Long> out = new TreeMap<>();
        if (id == null || id.isBlank()) {
            return out;
        }
        for (String part : id.strip().split(",")) {
            String[] pair = part.split(":");
            if (pair.length != 2) {
                return Map.of();
            }
            try {
                out.put(Integer.parseInt(pair[0].strip()), Long.parseLong(pair[1].strip()));
            } catch (NumberFormatException e) {
                return Map.of();
            }
        }
        return out;
    }

    private static String eventId(Map<Integer, Long> positions) {
        return positions.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        Thread r;
        synchronized (this) {
            closed = true;
            running = false;
            notifyAll();
            r = thread;
            thread = null;
        }
        if (r != null) {
            reader.wakeup();
            try {
                r.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
