package dev.vigil.alerts;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of {@code vigil.alerts} may be committed: a record is finished when every
 * delivery routed for it ended (delivered, dead-lettered, silenced…), and a partition's offset
 * advances only past finished records, so nothing unfinished is ever committed, while receivers
 * work through their queues independently.
 */
final class OffsetTracker {

    /** One consumed record and the deliveries still open for it. */
    static final class Entry {
        private final OffsetTracker tracker;
        private final TopicPartition partition;
        private final long offset;
        private final AtomicInteger open;
        private volatile boolean cancelled;

        private Entry(OffsetTracker tracker, TopicPartition partition, long offset, int open) {
            this.tracker = tracker;
            this.partition = partition;
            this.offset = offset;
            this.open = new AtomicInteger(open);
        }

        /** True once the partition was revoked or the consumer restarted: its deliveries may stop, it is consumed again. */
        boolean cancelled() {
            return cancelled;
        }

        String where() {
            return partition + "@" + offset;
        }

        /** One delivery of this record ended. */
        void done() {
            tracker.done(this);
        }

        /**
         * Once every delivery of this record ended, waits (up to {@code max}) until its offset is
         * committed. A receiver's lane calls this before its next send, so a crash re-sends at most
         * the alert in flight, not also the one just delivered. Returns at once while another
         * receiver still works on the record: one receiver never waits for another.
         */
        void awaitCommitted(Duration max) throws InterruptedException {
            tracker.awaitCommitted(this, max);
        }
    }

    private final Map<TopicPartition, TreeMap<Long, Entry>> open = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private int inFlight;

    /** Starts tracking a record with {@code deliveries} open deliveries (0: finished already). */
    synchronized Entry track(TopicPartition partition, long offset, int deliveries) {
        Entry e = new Entry(this, partition, offset, deliveries);
        next.merge(partition, offset + 1, Math::max);
        if (deliveries > 0) {
            open.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, e);
            inFlight++;
        }
        return e;
    }

    /** One delivery of the entry ended. */
    synchronized void done(Entry e) {
        if (e.cancelled || e.open.decrementAndGet() > 0) {
            return;
        }
        TreeMap<Long, Entry> entries = open.get(e.partition);
        if (entries != null && entries.remove(e.offset) != null) {
            inFlight--;
        }
    }

    /** Records with a delivery still open. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** Offsets to commit: per partition, the first unfinished record, or past the last one; only those that moved. */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        next.forEach((partition, end) -> {
            TreeMap<Long, Entry> entries = open.get(partition);
            long offset = entries == null || entries.isEmpty() ? end : entries.firstKey();
            if (!committed.containsKey(partition) || committed.get(partition) < offset) {
                out.put(partition, new OffsetAndMetadata(offset));
            }
        });
        return out;
    }

    synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((p, o) -> committed.merge(p, o.offset(), Math::max));
        notifyAll();
    }

    private synchronized void awaitCommitted(Entry e, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!e.cancelled && e.open.get() <= 0 && committed.getOrDefault(e.partition, -1L) <= e.offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Stops tracking partitions (revoked, or all on a restart): their open entries are cancelled. */
    synchronized void forget(Collection<TopicPartition> partitions) {
        notifyAll();
        for (TopicPartition p : partitions) {
            TreeMap<Long, Entry> entries = open.remove(p);
            if (entries != null) {
                entries.values().forEach(e -> e.cancelled = true);
                inFlight -= entries.size();
            }
            next.remove(p);
            committed.remove(p);
        }
    }

    synchronized void forgetAll() {
        forget(java.util.List.copyOf(next.keySet()));
        for (Iterator<TreeMap<Long, Entry>> it = open.values().iterator(); it.hasNext(); ) {
            it.next().values().forEach(e -> e.cancelled = true);
            it.remove();
        }
        inFlight = 0;
    }
}
