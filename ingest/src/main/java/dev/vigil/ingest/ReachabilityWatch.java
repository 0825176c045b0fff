package dev.vigil.ingest;

import dev.vigil.model.FeedHealth;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says once when no feed an instance polls can be reached (no network, a proxy down, every address
 * refused), and once when one can again, however many polls see the same: one line each way in
 * the log instead of silence or one per poll.
 */
final class ReachabilityWatch {

    private final AtomicBoolean none = new AtomicBoolean();

    /** The line to log when {@code health} changes whether any feed is reachable; empty when it does not. */
    Optional<String> observe(FeedHealth.Summary health) {
        boolean now = health.noneReachable();
        if (!none.compareAndSet(!now, now)) {
            return Optional.empty();
        }
        return Optional.of(now
                ? "ingest: " + health.reachableText() + " (this instance's share): every feed polled so far failed; is there a network, a proxy, an egress allow-list?"
                : "ingest: feeds reachable again: " + health.reachableText());
    }
}
