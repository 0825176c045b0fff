package dev.vigil.ingest;

import java.util.List;

/** Where an ingest instance gets the feeds it shares with the other instances of its group. */
public sealed interface FeedSource {

    /**
     * The catalogue: the compacted topic {@code vigil.feeds}, which every instance reads in full
     * and follows while it runs, so a feed added or removed there is polled or dropped within a
     * second by whichever instance owns it. How {@code vigil run} and {@code vigil ingest} run.
     */
    record Catalogue() implements FeedSource {
    }

    /**
     * A list fixed at start, which never changes while running: for the demo (whose made-up
     * outlets must never land in a real catalogue) and for tests.
     */
    record Fixed(List<FeedSpec> feeds) implements FeedSource {
        public Fixed {
            feeds = List.copyOf(feeds);
        }
    }
}
