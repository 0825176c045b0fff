package dev.vigil.alerts;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code perSecond} tokens a second, up to {@code burst} saved. A receiver's lane
 * takes one per attempt, so after an outage its backlog drains at that pace instead of all at once.
 */
final class RateLimiter {

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    RateLimiter(double perSecond, LongSupplier nanoTime) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond: expected a positive rate, found " + perSecond);
        }
        this.perNano = perSecond / 1e9;
        this.burst = Math.max(1, Math.ceil(perSecond));
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token; returns how long to wait before using it (zero when one was saved). */
    synchronized Duration reserve() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        tokens -= 1;
        if (tokens >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-tokens / perNano));
    }
}
