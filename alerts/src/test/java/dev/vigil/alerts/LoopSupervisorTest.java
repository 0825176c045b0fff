package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The delivery loop's restarts: after a pause that grows, and starts over after a long healthy
 * run; never after close, and a close that does not wait out a pause. The pauses and the sessions'
 * running time pass on a scenario clock, so the tests wait for no pause.
 */
class LoopSupervisorTest {

    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void pausesDoubleUpToTheMaximumWhileTheLoopKeepsFailing() {
        List<Duration> pauses = pausesAfterSessionsThatFailAfter(List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)));

        assertThat(pauses).containsExactly(seconds(1), seconds(2), seconds(4), seconds(8), seconds(16), seconds(32), seconds(60), seconds(60));
    }

    /** A bug before: the pause never came down, so a loop that failed a few times last week waited the maximum on its next failure. */
    @Test
    void aFailureAfterALongHealthyRunStartsThePausesOver() {
        List<Duration> pauses = pausesAfterSessionsThatFailAfter(List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, LoopSupervisor.HEALTHY_RUN, Duration.ZERO));

        assertThat(pauses).containsExactly(seconds(1), seconds(2), seconds(4), seconds(8), seconds(16), seconds(32), seconds(60),
                seconds(1), seconds(2));
    }

    @Test
    void aFailureAfterAShortHealthyRunKeepsThePauseGrowing() {
        List<Duration> pauses = pausesAfterSessionsThatFailAfter(List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO,
                LoopSupervisor.HEALTHY_RUN.minusSeconds(1), Duration.ZERO));

        assertThat(pauses).containsExactly(seconds(1), seconds(2), seconds(4), seconds(8), seconds(16));
    }

    @Test
    void closeEndsTheRunningSessionThroughItsStopHook() {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger sessions = new AtomicInteger();
        LoopSupervisor supervisor = new LoopSupervisor("test-loop", () -> {
            sessions.incrementAndGet();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, stop::countDown, Duration.ofMillis(10), Duration.ofMillis(10), new ScenarioClock(Instant.EPOCH), LoopSupervisor.Pause.UNTIL_STOPPED);
        supervisor.start();
        await("the session", supervisor::isRunning);

        supervisor.close();

        assertThat(supervisor.isRunning()).isFalse();
        assertThat(sessions).hasValue(1);
    }

    /** A bug before: the supervisor slept through its pause, so close() waited for it, up to its 30 s limit. */
    @Test
    void closeWhileTheLoopWaitsToRestartReturnsAtOnceAndStartsNoOther() {
        AtomicInteger sessions = new AtomicInteger();
        LoopSupervisor supervisor = new LoopSupervisor("test-loop", () -> {
            sessions.incrementAndGet();
            throw new IllegalStateException("broker gone");
        }, () -> { }, Duration.ofMinutes(10), Duration.ofMinutes(10), new ScenarioClock(Instant.EPOCH), LoopSupervisor.Pause.UNTIL_STOPPED);
        supervisor.start();
        await("the first failure", () -> sessions.get() == 1 && !supervisor.isRunning());

        long before = System.nanoTime();
        supervisor.close();

        assertThat(System.nanoTime() - before).as("close() took").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(sessions).hasValue(1);
    }

    /**
     * Runs sessions that each run for the given time on the scenario clock and then fail, then one
     * that runs until closed; returns the pause taken before each restart.
     */
    private static List<Duration> pausesAfterSessionsThatFailAfter(List<Duration> runs) {
        ScenarioClock clock = new ScenarioClock(Instant.parse("2026-11-24T08:00:00Z"));
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        AtomicInteger sessions = new AtomicInteger();
        CountDownLatch stop = new CountDownLatch(1);
        Runnable session = () -> {
            int n = sessions.getAndIncrement();
            if (n < runs.size()) {
                clock.await(runs.get(n));
                throw new IllegalStateException("broker gone (" + (n + 1) + ")");
            }
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        LoopSupervisor.Pause pause = (d, stopped) -> {
            pauses.add(d);
            clock.await(d);
            return false;
        };
        try (LoopSupervisor supervisor = new LoopSupervisor("test-loop", session, stop::countDown, FIRST, MAX, clock, pause)) {
            supervisor.start();
            await("the session after the last failure", () -> sessions.get() == runs.size() + 1 && supervisor.isRunning());
        }
        assertThat(sessions).as("no session after close").hasValue(runs.size() + 1);
        return List.copyOf(pauses);
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within 10 s", what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
