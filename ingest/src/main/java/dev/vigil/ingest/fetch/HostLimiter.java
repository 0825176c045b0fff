package dev.vigil.ingest.fetch;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Politeness per host: at most {@code maxConcurrent} requests in flight to one host, and
 * request starts at least {@code minSpacing} apart. A host that asked for more room (a
 * robots.txt Crawl-delay) gets it through {@link #spaceAtLeast}. Hosts are told apart by name,
 * lower-cased, so every feed of one outlet shares its limits.
 */
public final class HostLimiter {

    private final int maxConcurrent;
    private final long minSpacingNanos;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();

    public HostLimiter(int maxConcurrent, Duration minSpacing) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent: expected at least 1, found " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        this.minSpacingNanos = Objects.requireNonNull(minSpacing, "minSpacing").toNanos();
    }

    /** A slot for one request; close it when the request is done. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a slot at the host, at most {@code maxWait}.
     *
     * @throws FetchException with reason TIMEOUT when no slot came in time
     */
    public Permit acquire(String host, Duration maxWait) throws FetchException, InterruptedException {
        String key = host.toLowerCase(Locale.ROOT);
        Host h = hosts.computeIfAbsent(key, k -> new Host());
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (h) {
            while (true) {
                long now = System.nanoTime();
                long spacing = Math.max(minSpacingNanos, h.extraSpacingNanos);
                long earliest = h.started ? h.lastStart + spacing : now;
                if (h.inFlight < maxConcurrent && now - earliest >= 0) {
                    h.inFlight++;
                    h.lastStart = now;
                    h.started = true;
                    return () -> release(h);
                }
                long wait = Math.min(deadline - now, h.inFlight < maxConcurrent ? earliest - now : Long.MAX_VALUE);
                if (deadline - now <= 0) {
                    throw new FetchException(dev.vigil.model.IngestError.Reason.TIMEOUT,
                            "no free slot for host " + key + " within " + maxWait.toSeconds() + "s (" + h.inFlight + " requests in flight)");
                }
                long millis = Math.max(1, wait / 1_000_000);
                h.wait(millis);
            }
        }
    }

    /** Spaces request starts to this host at least {@code spacing} apart from now on. */
    public void spaceAtLeast(String host, Duration spacing) {
        Host h = hosts.computeIfAbsent(host.toLowerCase(Locale.ROOT), k -> new Host());
        synchronized (h) {
            h.extraSpacingNanos = Math.max(h.extraSpacingNanos, spacing.toNanos());
        }
    }

    private static void release(Host h) {
        synchronized (h) {
            h.inFlight--;
            h.notifyAll();
        }
    }

    private static final class Host {
        int inFlight;
        long lastStart;
        boolean started;
        long extraSpacingNanos;
    }
}
