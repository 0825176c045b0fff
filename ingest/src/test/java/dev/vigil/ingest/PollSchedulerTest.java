package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.FeedId;
import dev.vigil.model.IngestError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input of every kind, polled side by side with a good feed: each bad feed is counted and
 * reported with its feed and reason, and the good feed is published as if nothing happened.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PollSchedulerTest {

    static final String GOOD_PAGE = FeedPollerTest.PAGE;

    @Test
    void badFeedsAreEachReportedAndDisturbNothingElse() throws Exception {
        try (FixtureServer server = new FixtureServer(); TestIngest ingest = new TestIngest(20, Duration.ofSeconds(3))) {
            String good = "<rss version=\"2.0\"><channel><title>Good</title><link>http://x/</link><description>d</description>"
                    + FeedPollerTest.itemWithGuid("g1", "Good story", "/a/1", 1) + "</channel></rss>";
            server.route("/good.rss", 200, "application/rss+xml", good).route("/a/1", 200, "text/html", GOOD_PAGE)
                    .route("/malformed.rss", 200, "application/rss+xml", "<rss><channel><title>x</channel>")
                    .route("/xxe.rss", 200, "application/rss+xml", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss>&x;</rss>")
                    .redirect("/to-metadata.rss", 302, "http://169.254.169.254/latest/meta-data/")
                    .redirect("/loop.rss", 302, "/loop2.rss").redirect("/loop2.rss", 302, "/loop.rss")
                    .route("/endless.rss", ex -> {
                        ex.sendResponseHeaders(200, 0);
                        OutputStream out = ex.getResponseBody();
                        byte[] chunk = "<rss>".repeat(10_000).getBytes(StandardCharsets.UTF_8);
                        for (int i = 0; i < 100_000; i++) {
                            out.write(chunk);
                        }
                        ex.close();
                    });
            Map<String, IngestError.Reason> expected = Map.of(
                    "malformed", IngestError.Reason.MALFORMED,
                    "xxe", IngestError.Reason.MALFORMED,
                    "to-metadata", IngestError.Reason.REFUSED,
                    "loop", IngestError.Reason.REDIRECTS,
                    "endless", IngestError.Reason.TOO_LARGE);
            Map<FeedId, AtomicInteger> polls = new ConcurrentHashMap<>();
            try (PollScheduler scheduler = new PollScheduler(3, Clock.systemUTC(), p -> polls.computeIfAbsent(p.spec().id(), k -> new AtomicInteger()).incrementAndGet())) {
                scheduler.start();
                for (String name : List.of("good", "malformed", "xxe", "to-metadata", "loop", "endless")) {
                    URI url = server.uri("/" + name + ".rss");
                    scheduler.add(new FeedPoller(new FeedSpec(new FeedId(name), url, null, null, Duration.ofMinutes(5)), ingest.ctx, Optional.empty()));
                }
                Await.until(Duration.ofSeconds(60), "every feed polled once", () -> polls.size() == 6);
                assertThat(scheduler.size()).as("no feed dropped from the schedule").isEqualTo(6);
            }
            assertThat(ingest.published).singleElement().satisfies(a -> assertThat(a.title()).isEqualTo("Good story"));
            expected.forEach((feed, reason) -> assertThat(ingest.errors).as(feed)
                    .anySatisfy(e -> {
                        assertThat(e.feed()).isEqualTo(new FeedId(feed));
                        assertThat(e.reason()).isEqualTo(reason);
                        assertThat(e.message()).isNotBlank();
                    }));
            assertThat(ingest.errors).noneMatch(e -> e.feed().equals(new FeedId("good")));
            assertThat(ingest.count(IngestMetrics.POLLS, "outcome", "error")).isEqualTo(5);
            assertThat(ingest.count(IngestMetrics.POLLS, "outcome", "ok")).isEqualTo(1);
        }
    }

    @Test
    void aRemovedFeedIsNotPolledAgain() throws IOException {
        try (FixtureServer server = new FixtureServer(); TestIngest ingest = new TestIngest()) {
            server.route("/f.rss", 200, "application/rss+xml", "<rss version=\"2.0\"><channel><title>F</title><link>http://x/</link><description>d</description></channel></rss>");
            AtomicInteger polled = new AtomicInteger();
            try (PollScheduler scheduler = new PollScheduler(1, Clock.systemUTC(), p -> polled.incrementAndGet())) {
                scheduler.start();
                FeedSpec spec = new FeedSpec(new FeedId("f"), server.uri("/f.rss"), null, null, Duration.ofSeconds(1));
                scheduler.add(new FeedPoller(spec, ingest.ctx, Optional.empty()));
                Await.until(Duration.ofSeconds(20), "two polls", () -> polled.get() >= 2);
                scheduler.remove(List.of(spec.id()), Duration.ofSeconds(5));
                int after = polled.get();
                assertThat(scheduler.size()).isZero();
                long requests = server.requestsFor("/f.rss");
                assertThat(requests).isEqualTo(after);
            }
        }
    }
}
