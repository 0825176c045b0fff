package dev.vigil.app.feeds;

import dev.vigil.ingest.feed.FeedParseException;
import dev.vigil.ingest.feed.FeedParser;
import dev.vigil.ingest.feed.ParsedFeed;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchException;
import dev.vigil.ingest.fetch.FetchRequest;
import dev.vigil.ingest.fetch.FetchResult;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.ingest.fetch.Fetcher;
import dev.vigil.model.net.HostResolver;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Fetches and parses a feed exactly as ingest would (the same egress guard, limits and parser),
 * for {@code vigil feeds check} and {@code vigil feeds add}: a feed that fails here would fail there.
 */
final class FeedProbe implements AutoCloseable {

    static final long MAX_BYTES = 10L << 20;
    static final String ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.1";

    private final Fetcher fetcher;
    private final HostResolver resolver;
    private final FeedParser parser = new FeedParser(Clock.systemUTC());

    /** @param allow address ranges the egress guard lets through besides public ones */
    FeedProbe(List<Cidr> allow, Duration timeout) {
        this(allow, timeout, HostResolver.system());
    }

    FeedProbe(List<Cidr> allow, Duration timeout, HostResolver resolver) {
        this.resolver = resolver;
        fetcher = new Fetcher(FetchSettings.defaults().withDeadline(timeout), EgressPolicy.publicOnly().allowing(allow), resolver);
    }

    /**
     * "127.0.0.1 (loopback)": the first address of the feed's host that the default egress guard
     * refuses, which a running ingest refuses too unless its own {@code egress.allow} covers it;
     * empty when every address is public (or the name does not resolve: the check says so).
     */
    Optional<String> refusedByDefault(URI url) {
        try {
            for (InetAddress a : resolver.resolve(url.getHost())) {
                Optional<EgressPolicy.Category> refused = EgressPolicy.publicOnly().refusal(a);
                if (refused.isPresent()) {
                    return Optional.of(a.getHostAddress() + " (" + refused.get().word() + ")");
                }
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    FeedParser parser() {
        return parser;
    }

    /** Fetches and parses the feed at {@code url}; each failure says what and where, with a reason usable in messages. */
    ParsedFeed check(URI url) throws FetchException, FeedParseException {
        FetchResult r = fetcher.get(FetchRequest.of(url, ACCEPT, MAX_BYTES));
        return parser.parse(r.body(), r.contentType(), Optional.of(r.uri()));
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
