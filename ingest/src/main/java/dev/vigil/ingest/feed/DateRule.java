package dev.vigil.ingest.feed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The one rule for an item's published time. The item's published date is used, else its
 * updated date. A date is kept when it lies between {@link #EARLIEST} and now plus
 * {@link #FUTURE_SKEW}; otherwise the item has no published time (downstream then uses the
 * time it was fetched), and the verdict says why so it can be counted:
 * <ul>
 *   <li>{@code MISSING}: no date, or one no parser understood;</li>
 *   <li>{@code TOO_OLD}: before 1995 — the Unix epoch (1970) and year 0 come from broken CMSs,
 *       never from news;</li>
 *   <li>{@code FUTURE}: more than a day ahead (a wrong time zone is at most 14 hours; anything
 *       further is a placeholder or a scheduled item we must not let drive a score).</li>
 * </ul>
 */
public final class DateRule {

    public static final Instant EARLIEST = Instant.parse("1995-01-01T00:00:00Z");
    public static final Duration FUTURE_SKEW = Duration.ofDays(1);

    /** What the rule made of one item's date. */
    public enum Verdict { OK, MISSING, TOO_OLD, FUTURE }

    /** The date kept (if any) and the verdict. */
    public record Judged(Optional<Instant> published, Verdict verdict) {
        public Judged {
            Objects.requireNonNull(published, "published");
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    private final Clock clock;

    public DateRule(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Judged judge(Optional<Instant> published, Optional<Instant> updated) {
        Optional<Instant> candidate = published.or(() -> updated);
        if (candidate.isEmpty()) {
            return new Judged(Optional.empty(), Verdict.MISSING);
        }
        Instant at = candidate.get();
        if (at.isBefore(EARLIEST)) {
            return new Judged(Optional.empty(), Verdict.TOO_OLD);
        }
        if (at.isAfter(clock.instant().plus(FUTURE_SKEW))) {
            return new Judged(Optional.empty(), Verdict.FUTURE);
        }
        return new Judged(Optional.of(at), Verdict.OK);
    }
}
