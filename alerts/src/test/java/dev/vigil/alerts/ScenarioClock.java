package dev.vigil.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * Scenario time for a lane: a clock that stands still until the lane waits, and a {@link
 * ReceiverLane.Waiter} that moves it on by the wait instead of sleeping, running what the scenario
 * scheduled in between (an alert decided, a receiver going down or coming back) at its own time.
 * An hour of scenario passes in a moment of real time.
 */
final class ScenarioClock extends Clock implements ReceiverLane.Waiter {

    private record Event(Instant at, long order, Runnable action) {
    }

    private final Instant start;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at().equals(b.at())
            ? Long.compare(a.order(), b.order()) : a.at().compareTo(b.at()));
    private volatile Instant now;
    private long scheduled;

    ScenarioClock(Instant start) {
        this.start = start;
        this.now = start;
    }

    /** Runs {@code action} when the scenario reaches {@code after} from its start. */
    synchronized void at(Duration after, Runnable action) {
        events.add(new Event(start.plus(after), scheduled++, action));
    }

    /** Time since the scenario started. */
    Duration elapsed() {
        return Duration.between(start, now);
    }

    /** Moves the clock on by {@code d}, running each event that falls due on the way at its time. */
    @Override
    public synchronized void await(Duration d) {
        Instant target = now.plus(d);
        while (!events.isEmpty() && !events.peek().at().isAfter(target)) {
            Event e = events.poll();
            if (e.at().isAfter(now)) {
                now = e.at();
            }
            e.action().run();
        }
        now = target;
    }

    /** Runs what is due now without moving the clock. */
    void runDue() {
        await(Duration.ZERO);
    }

    @Override
    public long nanoTime() {
        Instant t = now;
        return Duration.between(start, t).toNanos();
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("scenario time is UTC");
    }
}
