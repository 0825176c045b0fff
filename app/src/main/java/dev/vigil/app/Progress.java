package dev.vigil.app;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/**
 * A one-line progress counter on standard error for commands that work through many items
 * (backtest, extract, feed checks): shown only when a person is watching a terminal, silent when
 * the output is piped or captured, so scripts and logs see only results. Closing it clears the line.
 *
 * <pre>{@code
 * try (Progress progress = Progress.onTerminal(err, "checking", feeds.size())) {
 *     for (Feed f : feeds) { progress.step(f.id()); check(f); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {

    private static final long MIN_GAP_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean shown;
    private final String verb;
    private final long total;
    private long done;
    private long lastDrawn;
    private int width;

    Progress(PrintWriter err, boolean shown, String verb, long total) {
        this.err = Objects.requireNonNull(err, "err");
        this.shown = shown;
        this.verb = Objects.requireNonNull(verb, "verb");
        this.total = total;
    }

    /** Progress shown when this process has a terminal ({@code System.console() != null}), else silent. */
    public static Progress onTerminal(PrintWriter err, String verb, long total) {
        return new Progress(err, System.console() != null, verb, total);
    }

    /** One more item is being worked on; {@code what} names it. Redrawn at most ten times a second. */
    public void step(String what) {
        done++;
        long now = System.nanoTime();
        if (!shown || (now - lastDrawn < MIN_GAP_NANOS && done < total)) {
            return;
        }
        lastDrawn = now;
        String line = total > 0
                ? String.format(Locale.ROOT, "%s %,d/%,d (%d%%) %s", verb, done, total, done * 100 / total, what)
                : String.format(Locale.ROOT, "%s %,d %s", verb, done, what);
        if (line.length() > 100) {
            line = line.substring(0, 99) + "…";
        }
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = line.length();
    }

    /** Sets the count without naming an item (for work that reports how far it got). */
    void at(long count) {
        done = count - 1;
        step("");
    }

    @Override
    public void close() {
        if (shown && width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }
}
