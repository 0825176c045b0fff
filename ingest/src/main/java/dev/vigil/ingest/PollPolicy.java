package dev.vigil.ingest;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a feed is polled next. The rules, in order:
 * <ul>
 *   <li><b>Adapting.</b> A poll that found new items halves the interval, one that found none
 *       grows it by a quarter, always within the feed's {@code [min-interval, max-interval]}: a
 *       wire that publishes every few minutes is polled every few minutes, a weekly blog rarely.</li>
 *   <li><b>Server hints.</b> Cache-Control max-age, Expires and RSS {@code <ttl>} say when asking
 *       again is pointless: the next poll waits at least that long, but never past
 *       {@code max-interval}.</li>
 *   <li><b>Gaps.</b> When none of the items seen before is in the feed any more, items may have
 *       scrolled off between polls: the next poll comes after {@code min-interval}.</li>
 *   <li><b>Failures.</b> Exponential backoff with jitter: after {@code n} consecutive failures the
 *       delay is drawn from {@code [b/2, b]} with {@code b = min(interval × 2^n, max-backoff)}. A
 *       429/503 Retry-After is honoured (up to a day). A failing feed is slowed, never dropped.</li>
 *   <li>Every other delay gets ±10% jitter, so feeds added together do not stay in lock-step.</li>
 * </ul>
 */
final class PollPolicy {

    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private final Duration maxBackoff;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1); a fixed one makes schedules predictable in tests */
    PollPolicy(Duration maxBackoff, DoubleSupplier random) {
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The interval after a successful poll. */
    Duration adapt(FeedSpec spec, Duration current, boolean foundNew) {
        Duration next = foundNew ? current.dividedBy(2) : current.plus(current.dividedBy(4));
        return clamp(next, spec.minInterval(), spec.maxInterval());
    }

    /** The delay until the next poll after a successful one. */
    Duration afterSuccess(FeedSpec spec, Duration interval, Optional<Duration> serverHint, boolean gap) {
        if (gap) {
            return spec.minInterval();
        }
        Duration d = interval;
        if (serverHint.isPresent() && serverHint.get().compareTo(d) > 0) {
            d = serverHint.get().compareTo(spec.maxInterval()) > 0 ? spec.maxInterval() : serverHint.get();
        }
        return jitter(d, 0.1);
    }

    /** The delay until the next poll after the {@code failures}-th failure in a row. */
    Duration afterFailure(Duration interval, int failures, Optional<Duration> retryAfter) {
        int n = Math.min(Math.max(failures, 1), 30);
        double b = Math.min((double) maxBackoff.toMillis(), interval.toMillis() * Math.pow(2, n));
        Duration backoff = Duration.ofMillis((long) (b / 2 + random.getAsDouble() * b / 2));
        if (retryAfter.isPresent() && retryAfter.get().compareTo(backoff) > 0) {
            return retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter.get();
        }
        return backoff;
    }

    private Duration jitter(Duration d, double fraction) {
        double factor = 1 + (random.getAsDouble() * 2 - 1) * fraction;
        return Duration.ofMillis(Math.max(1, (long) (d.toMillis() * factor)));
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
