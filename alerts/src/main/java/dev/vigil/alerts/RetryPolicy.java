package dev.vigil.alerts;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a failing receiver again, and when to give up on an alert. After the n-th failure
 * in a row, wait a random time between half and all of {@code min(maxBackoff, initialBackoff ×
 * 2^(n-1))} (jitter: instances retrying one receiver do not retry in lock-step), or what the
 * receiver's {@code Retry-After} asks for, up to {@link #MAX_RETRY_AFTER}. An alert is
 * dead-lettered after {@code maxAttempts} attempts, or once it has waited {@code giveUpAfter}
 * for a receiver that keeps failing, whichever comes first.
 *
 * @param maxAttempts    attempts per alert in all, the first included
 * @param initialBackoff upper bound of the first wait
 * @param maxBackoff     upper bound of any computed wait
 * @param giveUpAfter    how long an alert may wait for a failing receiver
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

    /** Retries for up to two hours: a receiver down for an hour still gets every alert. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(50, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(2));
    /** A receiver's Retry-After is honoured up to this; beyond it is more likely a mistake than a plan. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: expected at least 1, found " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff: expected a positive duration, found " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff: expected at least initialBackoff (" + initialBackoff + "), found " + maxBackoff);
        }
        if (giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("giveUpAfter: expected a duration, found " + giveUpAfter);
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1-based). */
    public Duration backoff(int failures) {
        long cap = initialBackoff.toMillis() << Math.min(30, Math.max(0, failures - 1));
        long bound = Math.max(1, Math.min(maxBackoff.toMillis(), cap < 0 ? Long.MAX_VALUE : cap));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }

    /** The wait before the next attempt: what the receiver asked for (capped), else {@link #backoff}. */
    public Duration nextWait(int failures, java.util.Optional<Duration> retryAfter) {
        return retryAfter.map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d).orElseGet(() -> backoff(failures));
    }
}
