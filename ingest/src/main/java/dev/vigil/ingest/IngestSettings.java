package dev.vigil.ingest;

import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.net.HostResolver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the ingest service needs to run, parsed once by the caller.
 *
 * @param kafka            how to reach Kafka
 * @param feeds            where the feeds come from: the catalogue topic, or a fixed list; every
 *                         instance of a group polls the share Kafka assigns it
 * @param threads          polls that may run at once
 * @param fetch            timeouts, deadline, redirects, per-host limits, User-Agent
 * @param egress           which addresses fetches may reach (public only, unless allowed)
 * @param resolver         name resolution (the system's, unless a harness maps its own names)
 * @param maxFeedBytes     largest feed body accepted, decompressed
 * @param maxPageBytes     largest page body accepted, decompressed
 * @param backfill         most items a newly added feed publishes
 * @param maxBackoff       longest delay between polls of a failing feed
 * @param robots           whether article fetches obey robots.txt (off only for tests of other things)
 * @param groupId          the consumer group through which instances share the feeds
 * @param sessionTimeout   how soon the group notices a dead instance and hands its feeds on
 */
public record IngestSettings(KafkaConnection kafka, FeedSource feeds, int threads, FetchSettings fetch, EgressPolicy egress,
                             HostResolver resolver, long maxFeedBytes, long maxPageBytes, int backfill, Duration maxBackoff,
                             boolean robots, String groupId, Duration sessionTimeout) {

    public static final String DEFAULT_GROUP = "vigil-ingest";
    public static final int DEFAULT_BACKFILL = 20;

    public IngestSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(feeds, "feeds");
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
        }
        if (maxFeedBytes < 1 || maxPageBytes < 1) {
            throw new IllegalArgumentException("maxFeedBytes, maxPageBytes: expected at least 1");
        }
        if (backfill < 0) {
            throw new IllegalArgumentException("backfill: expected 0 or more, found " + backfill);
        }
    }

    /**
     * The feeds of the catalogue ({@code vigil.feeds}), followed live. Defaults: public addresses
     * only, 8 poll threads, 10 MiB feeds, 5 MiB pages, backfill 20, robots.txt obeyed.
     */
    public static IngestSettings catalogue(KafkaConnection kafka) {
        return of(kafka, new FeedSource.Catalogue());
    }

    /** {@link #catalogue(KafkaConnection)} on an open cluster (the embedded broker). */
    public static IngestSettings catalogue(String bootstrapServers) {
        return catalogue(KafkaConnection.to(bootstrapServers));
    }

    /** A fixed list of feeds (the demo, tests), with the same defaults as {@link #catalogue}. */
    public static IngestSettings of(KafkaConnection kafka, List<FeedSpec> feeds) {
        return of(kafka, new FeedSource.Fixed(feeds));
    }

    /** {@link #of(KafkaConnection, List)} on an open cluster (the embedded broker). */
    public static IngestSettings of(String bootstrapServers, List<FeedSpec> feeds) {
        return of(KafkaConnection.to(bootstrapServers), feeds);
    }

    private static IngestSettings of(KafkaConnection kafka, FeedSource feeds) {
        return new IngestSettings(kafka, feeds, 8, FetchSettings.defaults(), EgressPolicy.publicOnly(), HostResolver.system(),
                10L << 20, 5L << 20, DEFAULT_BACKFILL, Duration.ofHours(6), true, DEFAULT_GROUP, Duration.ofSeconds(45));
    }

    /** A feeds file's settings for the whole process: its egress allow-list and backfill (its feeds go to the catalogue). */
    public IngestSettings withFileSettings(FeedsFile.Loaded file) {
        return withEgress(EgressPolicy.publicOnly().allowing(file.allow())).withBackfill(file.backfill());
    }

    public IngestSettings withEgress(EgressPolicy egress) {
        return new IngestSettings(kafka, feeds, threads, fetch, egress, resolver, maxFeedBytes, maxPageBytes, backfill, maxBackoff, robots, groupId, sessionTimeout);
    }

    public IngestSettings withFetch(FetchSettings fetch) {
        return new IngestSettings(kafka, feeds, threads, fetch, egress, resolver, maxFeedBytes, maxPageBytes, backfill, maxBackoff, robots, groupId, sessionTimeout);
    }

    public IngestSettings withResolver(HostResolver resolver) {
        return new IngestSettings(kafka, feeds, threads, fetch, egress, resolver, maxFeedBytes, maxPageBytes, backfill, maxBackoff, robots, groupId, sessionTimeout);
    }

    public IngestSettings withThreads(int threads) {
        return new IngestSettings(kafka, feeds, threads, fetch, egress, resolver, maxFeedBytes, maxPageBytes, backfill, maxBackoff, robots, groupId, sessionTimeout);
    }

    public IngestSettings withMaxBytes(long feed, long page) {
        return new IngestSettings(kafka, feeds, threads, fetch, egress, resolver, feed, page, backfill, maxBackoff, robots, groupId, sessionTimeout);
    }

    public IngestSettings withBackfill(int backfill) {
        return new IngestSettings(kafka, feeds, threads, fetch, egress, resolver, maxFeedBytes, maxPageBytes, backfill, maxBackoff, robots, groupId, sessionTimeout);
    }

    public IngestSettings withGroup(String groupId, Duration sessionTimeout) {
        return new IngestSettings(kafka, feeds, threads, fetch, egress, resolver, maxFeedBytes, maxPageBytes, backfill, maxBackoff, robots, groupId, sessionTimeout);
    }
}
