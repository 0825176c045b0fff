package dev.vigil.ingest.fetch;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import dev.vigil.model.IngestError.Reason;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * robots.txt for article pages (RFC 9309), parsed by crawler-commons and kept per site for a
 * day. A robots.txt that answers 4xx allows everything; one that answers 5xx or cannot be
 * fetched disallows the site for a while (the RFC's "unreachable" rule) and is asked again
 * later. A Crawl-delay spaces requests to the host (at most 30 s apart).
 */
public final class RobotsCache {

    /** The product token Vigil obeys in robots.txt. */
    public static final String AGENT = "vigil";
    static final Duration TTL = Duration.ofHours(24);
    static final Duration RETRY_UNREACHABLE = Duration.ofMinutes(10);
    static final Duration MAX_CRAWL_DELAY = Duration.ofSeconds(30);
    private static final long MAX_ROBOTS_BYTES = 512 * 1024;

    private final Fetcher fetcher;
    private final Clock clock;
    private final SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
    private final Map<String, Entry> sites = new ConcurrentHashMap<>();

    private record Entry(BaseRobotRules rules, Instant expires, String why) {
    }

    /** Whether a page may be fetched; when not, why. */
    public record Verdict(boolean allowed, String why) {
    }

    public RobotsCache(Fetcher fetcher, Clock clock) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Verdict check(URI page) {
        String site = site(page);
        Instant now = clock.instant();
        Entry e = sites.get(site);
        if (e == null || now.isAfter(e.expires())) {
            e = load(page, site, now);
            sites.put(site, e);
        }
        if (e.rules().isAllowed(page.toString())) {
            return new Verdict(true, "");
        }
        return new Verdict(false, e.why().isEmpty() ? "robots.txt of " + site + " disallows " + page.getRawPath() : e.why());
    }

    private Entry load(URI page, String site, Instant now) {
        URI robots = URI.create(site + "/robots.txt");
        try {
            FetchResult r = fetcher.get(FetchRequest.of(robots, "text/plain, */*;q=0.1", MAX_ROBOTS_BYTES));
            BaseRobotRules rules = parser.parseContent(robots.toString(), r.body(), r.contentType().orElse("text/plain"), List.of(AGENT));
            if (rules.getCrawlDelay() > 0) {
                fetcher.hostLimiter().spaceAtLeast(page.getHost(), Duration.ofMillis(Math.min(rules.getCrawlDelay(), MAX_CRAWL_DELAY.toMillis())));
            }
            return new Entry(rules, now.plus(TTL), "");
        } catch (FetchException ex) {
            if (ex.reason() == Reason.HTTP_STATUS && ex.status() >= 400 && ex.status() < 500) {
                return new Entry(parser.failedFetch(ex.status()), now.plus(TTL), "");
            }
            // 5xx, unreachable, too large, refused: RFC 9309 says assume complete disallow, for now
            return new Entry(parser.failedFetch(503), now.plus(RETRY_UNREACHABLE), "robots.txt of " + site + " unavailable (" + ex.getMessage() + ")");
        }
    }

    private static String site(URI page) {
        String scheme = page.getScheme().toLowerCase(Locale.ROOT);
        String host = page.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (page.getPort() == -1 ? "" : ":" + page.getPort());
    }
}
