package dev.vigil.streams.rules;

import dev.vigil.model.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How scores become levels: the sliding window, the entry threshold of each level, and the
 * hysteresis that keeps a hovering score from flapping.
 *
 * @param window     the event-time span a score covers; an article counts while its event time is
 *                   within this span of the topic's newest article (or of now, whichever is later)
 * @param thresholds the score at which each level above normal is entered
 * @param hysteresis a level is left only when the score falls below {@code hysteresis × threshold}
 * @param minDuration how long (event time) a higher level must hold before it fires; zero fires at
 *                   once, and a peak shorter than this never alerts
 */
public record AlertingPolicy(Duration window, Map<Level, Double> thresholds, double hysteresis, Duration minDuration) {

    public static final AlertingPolicy DEFAULT = new AlertingPolicy(Duration.ofHours(24),
            Map.of(Level.ELEVATED, 6.0, Level.HIGH, 15.0, Level.CRITICAL, 30.0), 0.8, Duration.ZERO);

    /** A policy that fires as soon as a threshold is reached. */
    public AlertingPolicy(Duration window, Map<Level, Double> thresholds, double hysteresis) {
        this(window, thresholds, hysteresis, Duration.ZERO);
    }

    public AlertingPolicy {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(minDuration, "minDuration");
        if (minDuration.isNegative()) {
            throw new IllegalArgumentException("minDuration: expected zero or more, found " + minDuration);
        }
        thresholds = Map.copyOf(new EnumMap<>(thresholds));
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window: expected a positive duration, found " + window);
        }
        if (!(hysteresis > 0 && hysteresis <= 1)) {
            throw new IllegalArgumentException("hysteresis: expected a number in (0, 1], found " + hysteresis);
        }
        double previous = 0;
        for (Level level : Level.values()) {
            if (level == Level.NORMAL) {
                continue;
            }
            Double t = thresholds.get(level);
            if (t == null || !(t > previous)) {
                throw new IllegalArgumentException("levels: expected increasing thresholds above 0 for elevated, high and critical, found " + thresholds);
            }
            previous = t;
        }
    }

    public double threshold(Level level) {
        return level == Level.NORMAL ? 0 : thresholds.get(level);
    }

    /**
     * The level after a score is seen at level {@code current}. Rising is immediate; a level is
     * left only when the score drops under {@code hysteresis × its threshold}, and then to the
     * highest level whose own lower bound the score still meets.
     */
    public Level next(Level current, double score) {
        Level entered = Level.NORMAL;
        for (Level level : Level.values()) {
            if (level != Level.NORMAL && score >= threshold(level)) {
                entered = level;
            }
        }
        if (entered.compareTo(current) >= 0) {
            return entered;
        }
        if (score >= hysteresis * threshold(current)) {
            return current;
        }
        Level stay = Level.NORMAL;
        for (Level level : Level.values()) {
            if (level != Level.NORMAL && level.compareTo(current) < 0 && score >= hysteresis * threshold(level)) {
                stay = level;
            }
        }
        return stay;
    }
}
