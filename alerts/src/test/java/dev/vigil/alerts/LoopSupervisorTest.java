package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The delivery loop's restarts: after a pause that grows, never after close, and a close that does not wait out a pause. */
class LoopSupervisorTest {

    @Test
    void aFailedLoopIsStartedAgainAfterPausesThatDoubleUpToTheMaximum() throws Exception {
        List<Long> startedAt = new CopyOnWriteArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        Runnable session = () -> {
            startedAt.add(System.nanoTime());
            if (startedAt.size() <= 4) {
                throw new IllegalStateException("broker gone (" + startedAt.size() + ")");
            }
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (LoopSupervisor supervisor = new LoopSupervisor("test-loop", session, stop::countDown, Duration.ofMillis(100), Duration.ofMillis(300))) {
            supervisor.start();
            await("the fifth session", () -> startedAt.size() == 5 && supervisor.isRunning());
            List<Long> pauses = List.of(startedAt.get(1) - startedAt.get(0), startedAt.get(2) - startedAt.get(1),
                    startedAt.get(3) - startedAt.get(2), startedAt.get(4) - startedAt.get(3));
            // 100, 200, 300 (the maximum), 300 ms: at least that, whatever else the machine is doing
            assertThat(pauses.get(0)).isGreaterThanOrEqualTo(ms(100));
            assertThat(pauses.get(1)).isGreaterThanOrEqualTo(ms(200));
            assertThat(pauses.get(2)).isGreaterThanOrEqualTo(ms(300));
            assertThat(pauses.get(3)).isGreaterThanOrEqualTo(ms(300));
        }
        assertThat(startedAt).hasSize(5);
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
        }, stop::countDown, Duration.ofMillis(10), Duration.ofMillis(10));
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
        }, () -> { }, Duration.ofMinutes(10), Duration.ofMinutes(10));
        supervisor.start();
        await("the first failure", () -> sessions.get() == 1 && !supervisor.isRunning());

        long before = System.nanoTime();
        supervisor.close();

        assertThat(System.nanoTime() - before).as("close() took").isLessThan(ms(5_000));
        assertThat(sessions).hasValue(1);
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within 10 s", what).isLessThan(deadline);
            LockSupport.parkNanos(ms(5));
        }
    }
}
