package dev.vigil.alerts;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the delivery loop on its own named thread, and when it fails (the broker went away) starts
 * it again after a pause that doubles up to a maximum. Nothing is lost in between: what was not
 * committed is consumed again. {@link #close()} ends a running session through its stop hook,
 * and a pause at once.
 */
final class LoopSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoopSupervisor.class);

    private final Runnable session;
    private final Runnable stopSession;
    private final Duration firstPause;
    private final Duration maxPause;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean healthy;

    /**
     * @param session     one session of the loop: returns once stopped, throws when it fails
     * @param stopSession makes a running {@code session} return; called from another thread
     */
    LoopSupervisor(String threadName, Runnable session, Runnable stopSession, Duration firstPause, Duration maxPause) {
        this.session = Objects.requireNonNull(session, "session");
        this.stopSession = Objects.requireNonNull(stopSession, "stopSession");
        this.firstPause = Objects.requireNonNull(firstPause, "firstPause");
        this.maxPause = Objects.requireNonNull(maxPause, "maxPause");
        this.thread = new Thread(this::supervise, Objects.requireNonNull(threadName, "threadName"));
    }

    void start() {
        thread.start();
    }

    private void supervise() {
        Duration pause = firstPause;
        while (stopped.getCount() > 0) {
            healthy = true;
            try {
                session.run();
                return;
            } catch (RuntimeException e) {
                healthy = false;
                log.error("alerts: the delivery loop failed; restarting it in {} s (uncommitted alerts will be delivered again): {}",
                        pause.toSeconds(), e.toString());
            }
            try {
                // not a sleep: close() ends the pause at once
                if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
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
