package dev.vigil.ingest;

import dev.vigil.model.FeedId;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each owned feed's poll when it is due: one dispatcher thread takes due feeds off a delay
 * queue and hands them to a fixed pool of poll threads; after a poll the feed goes back on the
 * queue at the time its poller chose (interval, server hints, backoff). Ten thousand feeds cost
 * ten thousand small queue entries, not ten thousand timers. Feeds come and go as Kafka assigns
 * partitions ({@link #add}, {@link #remove}). {@link #start()} and {@link #close()} are idempotent.
 */
final class PollScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PollScheduler.class);

    private final int threads;
    private final Clock clock;
    private final Consumer<FeedPoller> afterPoll;
    private final DelayQueue<Slot> queue = new DelayQueue<>();
    private final Map<FeedId, Slot> active = new ConcurrentHashMap<>();
    private final Set<FeedId> inFlight = new HashSet<>();
    private ExecutorService workers;
    private Thread dispatcher;
    private volatile boolean running;

    /** @param afterPoll told after every poll (to keep the feed's state), on the poll thread */
    PollScheduler(int threads, Clock clock, Consumer<FeedPoller> afterPoll) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
        }
        this.threads = threads;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.afterPoll = Objects.requireNonNull(afterPoll, "afterPoll");
    }

    private final class Slot implements Delayed {
        final FeedPoller poller;
        final long dueNanos;

        Slot(FeedPoller poller, long dueNanos) {
            this.poller = poller;
            this.dueNanos = dueNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Slot) o).dueNanos);
        }
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vigil-ingest-poll-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        dispatcher = new Thread(this::dispatch, "vigil-ingest-scheduler");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** Starts polling a feed at its poller's next poll time (now, for a feed never polled). */
    void add(FeedPoller poller) {
        Slot slot = slotAt(poller, Duration.between(clock.instant(), poller.nextPoll()));
        active.put(poller.spec().id(), slot);
        queue.add(slot);
    }

    private Slot slotAt(FeedPoller poller, Duration delay) {
        long nanos = Math.max(0, Math.min(delay.toNanos(), Duration.ofDays(2).toNanos()));
        return new Slot(poller, System.nanoTime() + nanos);
    }

    /** Stops polling these feeds, waiting up to {@code wait} for polls in progress to finish. */
    void remove(Collection<FeedId> feeds, Duration wait) {
        feeds.forEach(active::remove);
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (inFlight) {
            while (feeds.stream().anyMatch(inFlight::contains)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("ingest: polls still running for feeds handed to another instance; they finish on their own");
                    return;
                }
                try {
                    inFlight.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The pollers of the feeds this instance polls now. */
    List<FeedPoller> pollers() {
        return active.values().stream().map(s -> s.poller).toList();
    }

    /** The poller of a feed this instance polls now, if it polls it. */
    Optional<FeedPoller> poller(FeedId feed) {
        Slot slot = active.get(feed);
        return slot == null ? Optional.empty() : Optional.of(slot.poller);
    }

    int size() {
        return active.size();
    }

    private void dispatch() {
        while (running) {
            Slot slot;
            try {
                slot = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            FeedId id = slot.poller.spec().id();
            if (active.get(id) != slot) {
                continue;    // removed, or re-added with a newer slot
            }
            synchronized (inFlight) {
                inFlight.add(id);
            }
            try {
                workers.execute(() -> run(slot));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                synchronized (inFlight) {
                    inFlight.remove(id);
                    inFlight.notifyAll();
                }
                return;    // closing
            }
        }
    }

    private void run(Slot slot) {
        FeedPoller poller = slot.poller;
        FeedId id = poller.spec().id();
        try {
            poller.poll();
            afterPoll.accept(poller);
        } catch (RuntimeException e) {
            // a bug in one feed's poll must not end its schedule: it is logged and the feed polled again later
            log.error("ingest: {} poll failed unexpectedly; will poll again after its interval", id, e);
        } finally {
            synchronized (inFlight) {
                inFlight.remove(id);
                inFlight.notifyAll();
            }
        }
        if (running && active.get(id) == slot) {
            Duration delay = Duration.between(clock.instant(), poller.nextPoll());
            if (delay.isNegative() || delay.isZero()) {
                delay = poller.spec().minInterval();     // a poller that did not move its time on is not hammered
            }
            Slot next = slotAt(poller, delay);
            if (active.replace(id, slot, next)) {
                queue.add(next);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        dispatcher.interrupt();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("ingest: polls still running after 10s; closing anyway");
            }
            dispatcher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        active.clear();
        queue.clear();
    }
}
