package dev.vigil.app;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;

/** Polls for a condition until a deadline; tests never sleep to wait for work. */
final class Await {

    private Await() {
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, () -> what, condition);
    }

    /** As above; {@code what} is asked for on timeout, so it can say what was still missing then. */
    static void until(Duration timeout, java.util.function.Supplier<String> what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionFailedError("timed out after " + timeout.toSeconds() + "s waiting for " + what.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted while waiting for " + what.get());
            }
        }
    }
}
