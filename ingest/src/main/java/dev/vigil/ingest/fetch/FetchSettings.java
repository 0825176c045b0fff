package dev.vigil.ingest.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How every outbound request behaves.
 *
 * @param userAgent      the honest User-Agent sent with every request
 * @param connectTimeout time allowed to open a connection
 * @param readTimeout    longest silence allowed while waiting for headers or body bytes
 * @param deadline       total time for one fetch, redirects included: a server that drips one
 *                       byte every few seconds never trips the read timeout, but trips this
 * @param maxRedirects   redirects followed at most (each one re-checked by the egress guard)
 * @param maxPerHost     requests in flight to one host at most
 * @param hostSpacing    least time between two request starts to one host
 * @param hostWait       longest wait for a free slot at a busy host
 */
public record FetchSettings(String userAgent, Duration connectTimeout, Duration readTimeout, Duration deadline,
                            int maxRedirects, int maxPerHost, Duration hostSpacing, Duration hostWait) {

    public static final String USER_AGENT = "Vigil/0.1 (open-source news monitor; feeds and the articles they link)";

    public FetchSettings {
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(hostSpacing, "hostSpacing");
        Objects.requireNonNull(hostWait, "hostWait");
        if (userAgent.isBlank() || userAgent.indexOf('\r') >= 0 || userAgent.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("userAgent: expected one non-blank line");
        }
        if (maxRedirects < 0 || maxRedirects > 5) {
            throw new IllegalArgumentException("maxRedirects: expected 0 to 5, found " + maxRedirects);
        }
        if (maxPerHost < 1) {
            throw new IllegalArgumentException("maxPerHost: expected at least 1, found " + maxPerHost);
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline: expected a positive duration, found " + deadline);
        }
    }

    /** Polite defaults: 20 s per fetch, 5 redirects, 2 requests per host at once, 250 ms apart. */
    public static FetchSettings defaults() {
        return new FetchSettings(USER_AGENT, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20), 5, 2,
                Duration.ofMillis(250), Duration.ofSeconds(60));
    }

    public FetchSettings withDeadline(Duration total) {
        return new FetchSettings(userAgent, min(connectTimeout, total), min(readTimeout, total), total, maxRedirects, maxPerHost, hostSpacing, hostWait);
    }

    public FetchSettings withHostLimits(int perHost, Duration spacing) {
        return new FetchSettings(userAgent, connectTimeout, readTimeout, deadline, maxRedirects, perHost, spacing, hostWait);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
