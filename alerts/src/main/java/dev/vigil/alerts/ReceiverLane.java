package dev.vigil.alerts;

import dev.vigil.alerts.api.ReceiverStatus;
import dev.vigil.alerts.receiver.Channel;
import dev.vigil.alerts.silence.Silences;
import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.LogText;
import dev.vigil.model.Silence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receiver's queue and the thread that works through it, in order: checks silences and the
 * repeat interval, paces attempts with a rate limit, retries what may pass with backoff (or the
 * receiver's Retry-After), dead-letters what will not, and records every attempt. Each receiver
 * has its own lane, so one that is down or slow never delays the others; the consumer commits an
 * alert only once every lane it went to has finished with it.
 */
final class ReceiverLane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReceiverLane.class);
    private static final int REMEMBERED = 10_000;

    /**
     * Waits between attempts, and tells the time those waits pass in (the rate limit counts in it);
     * tests pass one that does not wait, or one that moves a scenario clock.
     */
    interface Waiter {
        void await(Duration d) throws InterruptedException;

        /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
        default long nanoTime() {
            return System.nanoTime();
        }
    }

    /**
     * One alert for this receiver.
     *
     * @param alert    the alert
     * @param queuedAt when it reached this lane (a failing receiver's alerts give up counting from here)
     * @param entry    the consumed record it belongs to
     */
    record Job(Alert alert, Instant queuedAt, OffsetTracker.Entry entry) {
        Job {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(queuedAt, "queuedAt");
        }

        boolean cancelled() {
            return entry != null && entry.cancelled();
        }
    }

    /** When a receiver last took an alert of one episode at one level. */
    private record Notified(String alertId, Instant at) {
    }

    private final Channel channel;
    private final RetryPolicy retry;
    private final RateLimiter limiter;
    private final Ledger ledger;
    private final AlertsMetrics metrics;
    private final Silences silences;
    private final Duration repeatInterval;
    private final Clock clock;
    private final Waiter waiter;
    private final Consumer<Job> onFinished;
    private final Consumer<Alert> onDelivered;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Map<String, Notified> notified = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Notified> eldest) {
            return size() > REMEMBERED;
        }
    };
    private volatile Instant disabledAt;
    private volatile String disabledWhy;
    private volatile Instant failingSince;
    private volatile String lastError;
    private int failures;
    private OffsetTracker.Entry previous;
    private Thread thread;
    private volatile boolean running;

    ReceiverLane(Channel channel, RetryPolicy retry, double perSecond, Ledger ledger, AlertsMetrics metrics, Silences silences,
                 Duration repeatInterval, Clock clock, Waiter waiter, Consumer<Job> onFinished, Consumer<Alert> onDelivered) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.repeatInterval = Objects.requireNonNull(repeatInterval, "repeatInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.limiter = new RateLimiter(perSecond, waiter::nanoTime);
        this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
        this.onDelivered = Objects.requireNonNull(onDelivered, "onDelivered");
        metrics.receiver(channel.name().value(), queue::size, () -> disabledAt == null ? 0 : 1);
    }

    String name() {
        return channel.name().value();
    }

    void submit(Job job) {
        queue.add(job);
    }

    ReceiverStatus status() {
        Instant disabled = disabledAt;
        if (disabled != null) {
            return new ReceiverStatus(name(), channel.kind().wireName(), queue.size(), "disabled", disabled, disabledWhy);
        }
        Instant failing = failingSince;
        return new ReceiverStatus(name(), channel.kind().wireName(), queue.size(), failing == null ? "ok" : "failing", failing, lastError);
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "vigil-alerts-" + name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                Job job = queue.take();
                try {
                    process(job);
                } catch (RuntimeException e) {
                    // a bug, not a delivery failure: say so loudly, dead-letter the alert with the reason, and go on
                    log.error("alerts: unexpected error delivering {} to {}", LogText.of(job.alert().id()), name(), e);
                    deadLetter(job, 0, Delivery.Outcome.DEAD_LETTERED, "internal error: " + e.getClass().getSimpleName());
                }
            }
        } catch (InterruptedException e) {
            // close(): what is unfinished stays uncommitted and is delivered again after a restart
            Thread.currentThread().interrupt();
        }
    }

    /** Takes one job to its end: delivered, dead-lettered, silenced or suppressed. Visible for tests. */
    void process(Job job) throws InterruptedException {
        if (job.cancelled()) {
            return;
        }
        Alert alert = job.alert();
        Instant now = clock.instant();
        if (disabledAt != null) {
            deadLetter(job, 0, Delivery.Outcome.DEAD_LETTERED, "receiver disabled since " + disabledAt + " (" + disabledWhy + ")");
            return;
        }
        Optional<Silence> silence = silences.matching(alert.data().topic(), alert.data().level(), now);
        if (silence.isPresent()) {
            Silence s = silence.get();
            record(job, 0, Delivery.Outcome.SILENCED, "silenced by " + s.id() + " until " + s.until() + ": " + s.reason());
            finish(job);
            return;
        }
        String key = alert.data().topic() + "|" + alert.data().episode() + "|" + alert.data().level().wireName();
        Notified before = notified.get(key);
        if (before != null && !before.alertId().equals(alert.id()) && Duration.between(before.at(), now).compareTo(repeatInterval) < 0) {
            record(job, 0, Delivery.Outcome.REPEAT_SUPPRESSED, "repeat of " + before.alertId() + " delivered at " + before.at()
                    + " (repeat interval " + repeatInterval + ")");
            finish(job);
            return;
        }
        Duration waited = Duration.between(job.queuedAt(), now);
        if (failures > 0 && waited.compareTo(retry.giveUpAfter()) >= 0) {
            deadLetter(job, 0, Delivery.Outcome.DEAD_LETTERED, "gave up without an attempt: the receiver has been failing since "
                    + failingSince + " and the alert waited " + waited.toSeconds() + " s (last error: " + lastError + ")");
            return;
        }
        attempts(job);
    }

    private void attempts(Job job) throws InterruptedException {
        Alert alert = job.alert();
        if (previous != null) {
            previous.awaitCommitted(Duration.ofSeconds(2));
            previous = null;
        }
        for (int attempt = 1; ; attempt++) {
            pause(limiter.reserve());
            if (job.cancelled()) {
                return;
            }
            try {
                deliverOnce(alert);
            } catch (Channel.DeliveryException e) {
                if (!failed(job, attempt, e)) {
                    return;
                }
                if (job.cancelled()) {
                    return;
                }
                continue;
            }
            Instant now = clock.instant();
            failures = 0;
            failingSince = null;
            record(job, attempt, Delivery.Outcome.DELIVERED, "ok");
            notified.put(alert.data().topic() + "|" + alert.data().episode() + "|" + alert.data().level().wireName(), new Notified(alert.id(), now));
            // from the decision (wall clock) when the alert says when it was taken; else from its event time
            metrics.delivered(channel.kind(), Duration.between(alert.data().decidedAt() != null ? alert.data().decidedAt() : alert.time(), now));
            finish(job);
            onDelivered.accept(alert);
            return;
        }
    }

    /** One attempt; an unexpected exception from a channel is a permanent failure of this alert, not the lane's end. */
    private void deliverOnce(Alert alert) throws Channel.DeliveryException {
        try {
            channel.deliver(alert);
        } catch (RuntimeException e) {
            log.error("alerts: receiver {} failed unexpectedly on {}", name(), LogText.of(alert.id()), e);
            throw new Channel.DeliveryException(Channel.Failure.PERMANENT, "unexpected error: " + e.getClass().getSimpleName());
        }
    }

    /** Handles a failed attempt; true when another attempt follows (after the wait, already done). */
    private boolean failed(Job job, int attempt, Channel.DeliveryException e) throws InterruptedException {
        String why = e.getMessage();
        lastError = why;
        switch (e.failure()) {
            case GONE -> {
                disabledAt = clock.instant();
                disabledWhy = why;
                log.error("alerts: receiver {} answered {} and is now DISABLED until the alerts service restarts; "
                        + "its alerts go to the dead-letter topic. Fix or remove it in the routing file.", name(), LogText.of(why));
                deadLetter(job, attempt, Delivery.Outcome.RECEIVER_DISABLED, why + ": receiver disabled");
                return false;
            }
            case PERMANENT -> {
                deadLetter(job, attempt, Delivery.Outcome.DEAD_LETTERED, why);
                return false;
            }
            default -> {
                Instant now = clock.instant();
                failures++;
                if (failingSince == null) {
                    failingSince = now;
                }
                Duration waited = Duration.between(job.queuedAt(), now);
                if (attempt >= retry.maxAttempts() || waited.compareTo(retry.giveUpAfter()) >= 0) {
                    deadLetter(job, attempt, Delivery.Outcome.DEAD_LETTERED, "gave up after " + attempt + " attempts over "
                            + waited.toSeconds() + " s: " + why);
                    return false;
                }
                record(job, attempt, Delivery.Outcome.RETRY, why);
                Duration wait = retry.nextWait(failures, e.retryAfter());
                log.info("alerts: {} to {} failed ({}); attempt {} in {} ms", LogText.of(job.alert().id()), name(), LogText.of(why), attempt + 1, wait.toMillis());
                pause(wait);
                return true;
            }
        }
    }

    private void deadLetter(Job job, int attempt, Delivery.Outcome outcome, String why) throws InterruptedException {
        Delivery attemptRecord = record(job, attempt, outcome, why);
        Delivery dead = new Delivery(Delivery.SCHEMA_VERSION, attemptRecord.alertId(), attemptRecord.receiver(), attemptRecord.channel(),
                attempt, Delivery.Outcome.DEAD_LETTERED, why, attemptRecord.at(), job.alert());
        for (int n = 1; ; n++) {
            try {
                ledger.deadLetter(dead);
                break;
            } catch (RuntimeException e) {
                // the dead letter is the alert's last copy for this receiver: keep trying, never commit without it
                log.error("alerts: cannot dead-letter {} for {} (try {}): {}", LogText.of(job.alert().id()), name(), n, LogText.of(e.getMessage()));
                pause(retry.backoff(n));
                if (job.cancelled()) {
                    return;
                }
            }
        }
        log.warn("alerts: {} to {} dead-lettered: {}", LogText.of(job.alert().id()), name(), LogText.of(why));
        finish(job);
    }

    private Delivery record(Job job, int attempt, Delivery.Outcome outcome, String detail) {
        Delivery d = new Delivery(Delivery.SCHEMA_VERSION, job.alert().id(), name(), channel.kind(), attempt, outcome, detail, clock.instant(), null);
        metrics.attempt(name(), channel.kind(), outcome);
        ledger.attempt(d);
        return d;
    }

    private void finish(Job job) {
        onFinished.accept(job);
        previous = job.entry();
    }

    private void pause(Duration d) throws InterruptedException {
        if (!d.isZero() && !d.isNegative()) {
            waiter.await(d);
        }
    }

    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (RuntimeException e) {
            log.warn("alerts: closing receiver {} failed: {}", name(), e.toString());
        }
        thread = null;
    }
}
