package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A feed's health, judged from its {@link FeedState}: the one home of the states and their
 * thresholds, shared by ingest's {@code vigil.ingest.feeds} meter, the status page, {@code vigil
 * status} and {@code vigil feeds list}, so they cannot disagree.
 * <ul>
 * <li>{@code PENDING}: not polled yet (no state, or no answer and no failure);</li>
 * <li>{@code OK}: the last poll got an answer (200 or 304);</li>
 * <li>{@code SLOWED}: answered before, then failed fewer than {@value #FAILING_AFTER} times in a row (backing off);</li>
 * <li>{@code FAILING}: failed {@value #FAILING_AFTER} times or more in a row, or never answered and failed at least once.</li>
 * </ul>
 * {@code FeedHealth.of(state) == FeedHealth.FAILING}
 */
public enum FeedHealth {
    OK, PENDING, SLOWED, FAILING;

    /** Failed polls in a row from which a feed that answered before counts as failing rather than slowed. */
    public static final int FAILING_AFTER = 3;

    /** The health of a feed from its saved state; {@code null} (never polled) is pending. */
    public static FeedHealth of(FeedState s) {
        return s == null ? PENDING : of(s.consecutiveFailures(), s.lastSuccess() != null);
    }

    /**
     * @param consecutiveFailures failed polls since the last answer
     * @param answered            whether the feed ever answered (200 or 304)
     */
    public static FeedHealth of(int consecutiveFailures, boolean answered) {
        if (consecutiveFailures == 0) {
            return answered ? OK : PENDING;
        }
        return consecutiveFailures >= FAILING_AFTER || !answered ? FAILING : SLOWED;
    }

    /** Whether the feed's last answer came in and it is not failing: ok or slowed. */
    public boolean reachable() {
        return this == OK || this == SLOWED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * How many feeds are in each state.
     *
     * @param counts every state, zero included
     */
    public record Summary(Map<FeedHealth, Integer> counts) {

        public Summary {
            EnumMap<FeedHealth, Integer> all = new EnumMap<>(FeedHealth.class);
            for (FeedHealth h : values()) {
                all.put(h, counts.getOrDefault(h, 0));
            }
            counts = Map.copyOf(all);
        }

        public static Summary of(Collection<FeedState> states) {
            return count(states.stream().map(FeedHealth::of));
        }

        public static Summary count(Stream<FeedHealth> health) {
            EnumMap<FeedHealth, Integer> counts = new EnumMap<>(FeedHealth.class);
            health.forEach(h -> counts.merge(h, 1, Integer::sum));
            return new Summary(counts);
        }

        public int count(FeedHealth h) {
            return counts.get(h);
        }

        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Feeds that answered: ok or slowed. */
        public int reachable() {
            return count(OK) + count(SLOWED);
        }

        /**
         * Nothing works: some feed has failed and none is reachable (no network, a proxy down, every
         * address refused). Feeds still pending do not count against it, so a start does not warn
         * before the first poll.
         */
        public boolean noneReachable() {
            return count(FAILING) > 0 && reachable() == 0;
        }

        /** "0 of 25 feeds reachable", for people. */
        public String reachableText() {
            return reachable() + " of " + total() + " feeds reachable";
        }
    }
}
