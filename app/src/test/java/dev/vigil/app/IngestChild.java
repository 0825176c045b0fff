package dev.vigil.app;

import dev.vigil.ingest.FeedSpec;
import dev.vigil.ingest.IngestService;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.model.FeedId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * An ingest instance in a process of its own, so {@link IngestAssignmentIT} can kill it
 * without warning: {@code IngestChild BOOTSTRAP GROUP BASE_URL FEEDS}.
 */
public final class IngestChild {

    private IngestChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        IngestSettings settings = settings(args[0], args[1], URI.create(args[2]), Integer.parseInt(args[3]));
        IngestService ingest = new IngestService(settings, new SimpleMeterRegistry(), Clock.systemUTC());
        ingest.start();
        System.out.println("started");
        new CountDownLatch(1).await();   // until killed
    }

    static List<FeedSpec> feeds(URI base, int count) {
        List<FeedSpec> feeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            feeds.add(new FeedSpec(new FeedId("feed-" + i), base.resolve("/f" + i + ".rss"), "Outlet " + i, "en", Duration.ofSeconds(1)));
        }
        return feeds;
    }

    static IngestSettings settings(String bootstrap, String group, URI base, int count) {
        return IngestSettings.of(bootstrap, feeds(base, count))
                .withEgress(EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.1/32"))))
                .withFetch(FetchSettings.defaults().withDeadline(Duration.ofSeconds(5)).withHostLimits(8, Duration.ZERO))
                .withThreads(4)
                .withGroup(group, Duration.ofSeconds(6));
    }
}
