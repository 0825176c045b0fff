package dev.vigil.ingest;

import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.ingest.feed.FeedParser;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.ingest.fetch.Fetcher;
import dev.vigil.model.net.HostResolver;
import dev.vigil.ingest.fetch.RobotsCache;
import dev.vigil.model.Article;
import dev.vigil.model.IngestError;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Ingest's real parts wired for tests: a fetcher allowed onto loopback, a recording sink, real meters. */
final class TestIngest implements AutoCloseable {

    final List<Article> published = new CopyOnWriteArrayList<>();
    final List<IngestError> errors = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Fetcher fetcher;
    final PollContext ctx;
    volatile boolean failPublish;

    TestIngest() {
        this(IngestSettings.DEFAULT_BACKFILL, Duration.ofSeconds(5));
    }

    TestIngest(int backfill, Duration deadline) {
        this(backfill, deadline, HostResolver.system(), () -> 0.5);
    }

    /**
     * @param resolver name resolution (a lambda that fails stands for a machine without DNS)
     * @param random   the backoff's jitter source
     */
    TestIngest(int backfill, Duration deadline, HostResolver resolver, java.util.function.DoubleSupplier random) {
        fetcher = new Fetcher(FetchSettings.defaults().withDeadline(deadline).withHostLimits(8, Duration.ZERO),
                EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.1/32"))), resolver);
        ArticleSink sink = new ArticleSink() {
            @Override
            public List<Refused> publish(List<Article> articles) throws PublishException {
                if (failPublish) {
                    throw new PublishException("broker down", null);
                }
                // held to the record limit as Kafka's sink is: Topic.record refuses what is over it
                List<Refused> refused = new java.util.ArrayList<>();
                for (Article a : articles) {
                    try {
                        Topics.ARTICLES.record(a.id(), a);
                        published.add(a);
                    } catch (org.apache.kafka.common.errors.RecordTooLargeException e) {
                        refused.add(new Refused(a, IngestError.Reason.TOO_LARGE, e.getMessage()));
                    }
                }
                return refused;
            }

            @Override
            public void error(IngestError error) {
                errors.add(error);
            }
        };
        ctx = new PollContext(fetcher, new FeedParser(Clock.systemUTC()), new ArticleExtractor(),
                Optional.of(new RobotsCache(fetcher, Clock.systemUTC())), sink, new IngestMetrics(registry), Clock.systemUTC(),
                new PollPolicy(Duration.ofHours(1), random), 1 << 20, 1 << 20, backfill);
    }

    double count(String meter, String... tags) {
        var search = registry.find(meter);
        if (tags.length > 0) {
            search = search.tags(tags);
        }
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
