package dev.vigil.ingest;

import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.ingest.feed.FeedParser;
import dev.vigil.ingest.fetch.Fetcher;
import dev.vigil.ingest.fetch.RobotsCache;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What every feed's poller shares: the guarded fetcher, the parsers, robots.txt, where results
 * go, the meters, the clock and the scheduling policy, and the limits.
 *
 * @param robots       robots.txt for article pages; empty only where an operator turned it off
 * @param maxFeedBytes largest feed accepted, decompressed
 * @param maxPageBytes largest article page accepted, decompressed
 * @param backfill     most items a feed seen for the first time publishes (the newest); the rest
 *                     are remembered as seen
 */
record PollContext(Fetcher fetcher, FeedParser parser, ArticleExtractor extractor, Optional<RobotsCache> robots, ArticleSink sink,
                   IngestMetrics metrics, Clock clock, PollPolicy policy, long maxFeedBytes, long maxPageBytes, int backfill) {

    PollContext {
        Objects.requireNonNull(fetcher, "fetcher");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(extractor, "extractor");
        Objects.requireNonNull(robots, "robots");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(policy, "policy");
        if (backfill < 0) {
            throw new IllegalArgumentException("backfill: expected 0 or more, found " + backfill);
        }
    }
}
