package dev.vigil.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the delivery loop on its own named thread, and when it fails (the broker went away) starts
 * it again after a pause that doubles up to a maximum. A session that ran for {@link #HEALTHY_RUN}
 * or longer before it failed starts the pauses over from the first: its failure is a new outage,
 * not the next of a series. Nothing is lost in between: what was not committed is consumed again.
 * {@link #close()} ends a running session through its stop hook, and a pause at once.
 */
final class LoopSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoopSupervisor.class);

    /** How long a session must have run before its failure restarts after the first pause again. */
    static final Duration HEALTHY_RUN = Duration.ofMinutes(5);

    /** Waits out the pause before a restart; tests pass one that does not wait. */
    interface Pause {
        /** The real one: waits {@code pause} unless {@code stopped} opens first. */
        Pause UNTIL_STOPPED = (pause, stopped) -> stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS);

        /** @return true when {@code stopped} opened (close() was called), so no session follows */
        boolean await(Duration pause, CountDownLatch stopped) throws InterruptedException;
    }

    private final Runnable session;
    private final Runnable stopSession;
    private final Duration firstPause;
    private final Duration maxPause;
    private final Clock clock;
    private final Pause pause;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean healthy;

    /**
     * @param session     one session of the loop: returns once stopped, throws when it fails
     * @param stopSession makes a running {@code session} return; called from another thread
     * @param clock       measures how long a session ran
     */
    LoopSupervisor(String threadName, Runnable session, Runnable stopSession, Duration firstPause, Duration maxPause, Clock clock, Pause pause) {
        this.session = Objects.requireNonNull(session, "session");
        this.stopSession = Objects.requireNonNull(stopSession, "stopSession");
        this.firstPause = Objects.requireNonNull(firstPause, "firstPause");
        this.maxPause = Objects.requireNonNull(maxPause, "maxPause");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.thread = new Thread(this::supervise, Objects.requireNonNull(threadName, "threadName"));
    }

    void start() {
        thread.start();
    }

    private void supervise() {
        Duration next = firstPause;
        while (stopped.getCount() > 0) {
            Instant startedAt = clock.instant();
            healthy = true;
            try {
                session.run();
                return;
            } catch (RuntimeException e) {
                healthy = false;
                Duration ran = Duration.between(startedAt, clock.instant());
                if (ran.compareTo(HEALTHY_RUN) >= 0) {
                    next = firstPause;
                }
                log.error("alerts: the delivery loop failed after {} s; restarting it in {} s (uncommitted alerts will be delivered again): {}",
                        ran.toSeconds(), next.toSeconds(), e.toString());
            }
            try {
                // not a sleep: close() ends the pause at once
                if (pause.await(next, stopped)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            next = next.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : next.multipliedBy(2);
        }
    }

    /** True while a session runs; false before start, after close, and while it waits to restart after a failure. */
    boolean isRunning() {
        return thread.isAlive() && healthy;
    }

    /** Stops the loop and waits (up to 30 s) for its thread to end; interrupts it after that. */
    @Override
    public void close() {
        stopped.countDown();
        stopSession.run();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
