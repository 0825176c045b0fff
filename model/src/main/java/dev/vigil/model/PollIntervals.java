package dev.vigil.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How often a feed is polled: the interval to start with and the bounds it adapts between. The
 * one home of the defaults and of the rule for a bound left out, which widens to take in the
 * interval given, so {@code interval: 30s} alone polls between 30s and 1h.
 *
 * <pre>{@code
 * PollIntervals.DEFAULTS.resolve(Duration.ofSeconds(30), null, null);   // 30s, between 30s and 1h
 * }</pre>
 *
 * @param interval time between polls to start with
 * @param min      the shortest the interval adapts down to
 * @param max      the longest the interval adapts up to
 */
public record PollIntervals(Duration interval, Duration min, Duration max) {

    /** No feed is polled more often than this. */
    public static final Duration SHORTEST = Duration.ofSeconds(1);

    /** 5m to start with, adapting between 1m and 1h. */
    public static final PollIntervals DEFAULTS = new PollIntervals(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1));

    public PollIntervals {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
    }

    /**
     * The intervals given, each one left out ({@code null}) taken from these defaults; a bound
     * left out widens to take in the interval (an interval below the default minimum becomes the
     * minimum, one above the default maximum the maximum). Whether the result is consistent is
     * for the caller to check and report in its own terms.
     */
    public PollIntervals resolve(Duration givenInterval, Duration givenMin, Duration givenMax) {
        Duration i = givenInterval != null ? givenInterval : interval;
        Duration lo = givenMin != null ? givenMin : i.compareTo(min) < 0 ? i : min;
        Duration hi = givenMax != null ? givenMax : i.compareTo(max) > 0 ? i : max;
        return new PollIntervals(i, lo, hi);
    }

    /**
     * What is wrong with these intervals, in the words of a feeds file, or empty when they are
     * consistent: a minimum under {@link #SHORTEST}, a minimum longer than the maximum, or an
     * interval outside its bounds. The one home of the rule: the feeds file reports it at the
     * feed's line, {@code feeds add} as a usage error, and a feed definition refuses it.
     */
    public Optional<String> problem() {
        if (min.compareTo(SHORTEST) < 0) {
            return Optional.of("min-interval " + text(min) + " is shorter than " + text(SHORTEST));
        }
        if (min.compareTo(max) > 0) {
            return Optional.of("min-interval " + text(min) + " is longer than max-interval " + text(max));
        }
        if (interval.compareTo(min) < 0 || interval.compareTo(max) > 0) {
            return Optional.of("interval " + text(interval) + " is outside min-interval " + text(min) + " .. max-interval " + text(max));
        }
        return Optional.empty();
    }

    /** A duration as a feeds file writes it: {@code 90s}, {@code 5m}, {@code 2h}, {@code 1500ms}. */
    public static String text(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s != 0 && s % 3600 == 0 ? s / 3600 + "h" : s != 0 && s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
