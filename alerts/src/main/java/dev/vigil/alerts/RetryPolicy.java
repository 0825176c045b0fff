package dev.vigil.alerts;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: after failed attempt n, wait a random time between half and
 * all of {@code min(maxBackoff, initialBackoff × 2^(n-1))}, so many instances retrying one receiver
 * do not retry in lock-step.
 *
 * @param maxAttempts    attempts in all, the first included
 * @param initialBackoff upper bound of the first wait
 * @param maxBackoff     upper bound of any wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30));

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: expected at least 1, found " + maxAttempts);
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration backoff(int attempt) {
        long cap = initialBackoff.toMillis() << Math.min(20, attempt - 1);
        long bound = Math.max(1, Math.min(maxBackoff.toMillis(), cap));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }
}
