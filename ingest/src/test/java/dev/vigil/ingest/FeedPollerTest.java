package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Article;
import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.IngestError;
import dev.vigil.model.Topic;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedPollerTest {

    static final String PAGE = "<html lang=\"en\"><head><title>Site</title>"
            + "<meta property=\"article:published_time\" content=\"2025-11-16T10:00:00Z\"></head><body>"
            + "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
            + "<article><h1>US designates cartel</h1>"
            + "<p>The United States will designate Cartel de los Soles a foreign terrorist organization, the State Department said on Sunday.</p>"
            + "<p>The designation takes effect on November 24 and allows sanctions against people who support the group.</p>"
            + "</article><footer>Copyright Herald</footer></body></html>";

    private FixtureServer server;
    private TestIngest ingest;

    @BeforeEach
    void start() throws IOException {
        server = new FixtureServer();
        ingest = new TestIngest();
    }

    @AfterEach
    void stop() {
        ingest.close();
        server.close();
    }

    private String rss(String... itemXml) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Caribbean Herald</title>"
                + "<link>" + server.uri("/") + "</link><description>d</description>" + String.join("", itemXml) + "</channel></rss>";
    }

    static String item(String title, String link, String summary) {
        return "<item><title>" + title + "</title><link>" + link + "</link><description>" + summary + "</description>"
                + "<pubDate>Sun, 16 Nov 2025 10:00:00 GMT</pubDate></item>";
    }

    static String itemWithGuid(String guid, String title, String link, int minute) {
        return "<item><guid isPermaLink=\"false\">" + guid + "</guid><title>" + title + "</title><link>" + link + "</link>"
                + "<description>Summary of " + title + ".</description>"
                + "<pubDate>Sun, 16 Nov 2025 10:" + String.format("%02d", minute) + ":00 GMT</pubDate></item>";
    }

    private FeedSpec spec(URI feed) {
        return new FeedSpec(new FeedId("herald"), feed, null, null, Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofHours(1));
    }

    private FeedPoller poller(URI feed) {
        return new FeedPoller(spec(feed), ingest.ctx, Optional.empty());
    }

    @Test
    void publishesNewItemsWithExtractedTextOnce() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("US designates cartel", "/a/1?utm_source=rss", "Summary.")))
                .route("/a/1", 200, "text/html; charset=utf-8", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));

        assertThat(poller.poll()).isEqualTo(1);
        assertThat(poller.poll()).isZero();

        Article a = ingest.published.get(0);
        assertThat(a.textOrigin()).isEqualTo(Article.TextOrigin.EXTRACTED);
        assertThat(a.text()).contains("foreign terrorist organization").doesNotContain("Home").doesNotContain("Copyright");
        assertThat(a.source()).isEqualTo("Caribbean Herald");
        assertThat(a.url()).isEqualTo(server.uri("/a/1?utm_source=rss").toString());
        assertThat(a.published()).isEqualTo("2025-11-16T10:00:00Z");
        assertThat(a.language()).isEqualTo("en");
        assertThat(ingest.errors).isEmpty();
        assertThat(server.requestsFor("/robots.txt")).isEqualTo(1);
    }

    @Test
    void anItemThatCanNeverBeWrittenIsSkippedWithAnErrorAndTheRestPublishOnce() {
        // quotes take two bytes each in JSON: the byline alone is over the record limit
        String byline = "\"".repeat(Topic.MAX_RECORD_BYTES / 2 + 10_000);
        String fat = "<item><guid isPermaLink=\"false\">fat</guid><title>Fat byline</title><author>" + byline
                + "</author><description>Short.</description><pubDate>Sun, 16 Nov 2025 10:01:00 GMT</pubDate></item>";
        server.route("/feed.rss", 200, "application/rss+xml", rss(itemWithGuid("g-1", "First", "/a/1", 0), fat, itemWithGuid("g-2", "Second", "/a/2", 2)))
                .route("/a/1", 200, "text/html; charset=utf-8", PAGE).route("/a/2", 200, "text/html; charset=utf-8", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));

        assertThat(poller.poll()).isEqualTo(2);
        assertThat(ingest.published).extracting(Article::title).containsExactly("First", "Second");
        assertThat(ingest.errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.PUBLISH);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.TOO_LARGE);
            assertThat(e.message()).contains("skipped, not retried");
        });
        assertThat(poller.consecutiveFailures()).isZero();
        assertThat(poller.state().lastError()).isNull();

        assertThat(poller.poll()).isZero();
        assertThat(ingest.published).hasSize(2);
        assertThat(ingest.errors).hasSize(1);
    }

    @Test
    void pageThatFailsFallsBackToTheSummaryAndIsReported() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("Gone", "/missing", "The feed summary of the story.")));
        poller(server.uri("/feed.rss")).poll();

        assertThat(ingest.published).singleElement().satisfies(a -> {
            assertThat(a.textOrigin()).isEqualTo(Article.TextOrigin.FEED_SUMMARY);
            assertThat(a.text()).isEqualTo("The feed summary of the story.");
        });
        assertThat(ingest.errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_PAGE);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.HTTP_STATUS);
            assertThat(e.url()).endsWith("/missing");
            assertThat(e.feed()).isEqualTo(new FeedId("herald"));
        });
        assertThat(ingest.count(IngestMetrics.EXTRACTIONS, "outcome", "fallback")).isEqualTo(1);
    }

    /**
     * Polls a feed whose one item links to {@code path} on the fixture: the article flows with the feed's summary,
     * and the one error event is returned, after checking the meters counted it under the same stage and reason.
     */
    private IngestError pageFailure(TestIngest in, String path) {
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("Story", path, "The feed summary of the story.")));
        assertThat(new FeedPoller(spec(server.uri("/feed.rss")), in.ctx, Optional.empty()).poll()).isEqualTo(1);
        assertThat(in.published).singleElement().satisfies(a -> {
            assertThat(a.textOrigin()).isEqualTo(Article.TextOrigin.FEED_SUMMARY);
            assertThat(a.text()).isEqualTo("The feed summary of the story.");
        });
        assertThat(in.errors).hasSize(1);
        IngestError e = in.errors.get(0);
        assertThat(e.url()).endsWith(path);
        assertThat(e.message()).endsWith("; using the feed summary");
        assertThat(in.count(IngestMetrics.ERRORS, "stage", e.stage().wireName(), "reason", e.reason().wireName())).isEqualTo(1);
        assertThat(in.count(IngestMetrics.EXTRACTIONS, "outcome", "fallback")).isEqualTo(1);
        return e;
    }

    @Test
    void aPageOverTheCapIsReportedTooLarge() {
        String big = "<html><body><p>" + "x".repeat(1 << 20) + "</p></body></html>";
        server.route("/a/big", 200, "text/html; charset=utf-8", big);
        IngestError e = pageFailure(ingest, "/a/big");
        assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_PAGE);
        assertThat(e.reason()).isEqualTo(IngestError.Reason.TOO_LARGE);
    }

    @Test
    void aPageThatIsNoWebPageIsReportedUnsupported() {
        server.route("/a/report.pdf", 200, "application/pdf", "%PDF-1.7\n1 0 obj");
        IngestError e = pageFailure(ingest, "/a/report.pdf");
        assertThat(e.stage()).isEqualTo(IngestError.Stage.EXTRACT_PAGE);
        assertThat(e.reason()).isEqualTo(IngestError.Reason.UNSUPPORTED);
        assertThat(e.message()).contains("not a web page (content type application/pdf)");
    }

    @Test
    void aPageThatNeverAnswersIsReportedTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        server.route("/a/slow", ex -> {
            try {
                release.await(30, TimeUnit.SECONDS);   // the fixture holding the answer back, not the test waiting
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        try (TestIngest quick = new TestIngest(IngestSettings.DEFAULT_BACKFILL, Duration.ofSeconds(1))) {
            IngestError e = pageFailure(quick, "/a/slow");
            assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_PAGE);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.TIMEOUT);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPageRedirectedToAnAddressTheGuardRefusesIsReportedRefused() {
        // 127.0.0.2 is loopback outside the allowed 127.0.0.1/32: the guard refuses it before any connection
        server.redirect("/a/moved", 302, "http://127.0.0.2:" + server.port() + "/a/1");
        IngestError e = pageFailure(ingest, "/a/moved");
        assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_PAGE);
        assertThat(e.reason()).isEqualTo(IngestError.Reason.REFUSED);
        assertThat(e.message()).contains("127.0.0.2");
    }

    @Test
    void aPageAnsweringAnHttpErrorIsReportedHttpStatus() {
        server.route("/a/broken", 500, "text/html", "<html><body>Internal error</body></html>");
        IngestError e = pageFailure(ingest, "/a/broken");
        assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_PAGE);
        assertThat(e.reason()).isEqualTo(IngestError.Reason.HTTP_STATUS);
        assertThat(e.message()).contains("500");
    }

    @Test
    void aPageWithoutRunningTextIsReportedNoArticle() {
        server.route("/a/gallery", 200, "text/html; charset=utf-8",
                "<html><body><nav><a href=\"/\">Home</a></nav><div><img src=\"a.jpg\"></div></body></html>");
        IngestError e = pageFailure(ingest, "/a/gallery");
        assertThat(e.stage()).isEqualTo(IngestError.Stage.EXTRACT_PAGE);
        assertThat(e.reason()).isEqualTo(IngestError.Reason.NO_ARTICLE);
        assertThat(e.message()).startsWith("no article text found");
    }

    @Test
    void aStubPageIsReportedTooShort() {
        server.route("/a/stub", 200, "text/html; charset=utf-8",
                "<html><body><nav><a href=\"/\">Home</a></nav><p>Subscribe to read the rest of this story.</p></body></html>");
        IngestError e = pageFailure(ingest, "/a/stub");
        assertThat(e.stage()).isEqualTo(IngestError.Stage.EXTRACT_PAGE);
        assertThat(e.reason()).isEqualTo(IngestError.Reason.TOO_SHORT);
        assertThat(e.message()).startsWith("too little article text");
    }

    @Test
    void robotsTxtIsObeyedForArticlePages() {
        server.route("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /private/\n")
                .route("/feed.rss", 200, "application/rss+xml", rss(item("Hidden", "/private/a", "Only the summary.")))
                .route("/private/a", 200, "text/html", PAGE);
        poller(server.uri("/feed.rss")).poll();
        assertThat(ingest.published).singleElement().satisfies(a -> assertThat(a.textOrigin()).isEqualTo(Article.TextOrigin.FEED_SUMMARY));
        assertThat(ingest.errors).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo(IngestError.Reason.ROBOTS));
        assertThat(server.requestsFor("/private/a")).isZero();
    }

    @Test
    void malformedFeedIsReportedCountedAndBackedOff() {
        server.route("/bad.rss", 200, "application/rss+xml", "<rss><channel><title>oops</channel>");
        FeedPoller poller = poller(server.uri("/bad.rss"));
        Instant before = Instant.now();
        assertThat(poller.poll()).isZero();
        assertThat(ingest.errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.PARSE_FEED);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.MALFORMED);
            assertThat(e.message()).startsWith("not well-formed XML");
        });
        assertThat(poller.consecutiveFailures()).isEqualTo(1);
        // 1 min interval, first failure: backoff drawn from [1, 2] min
        assertThat(poller.nextPoll()).isAfter(before.plus(Duration.ofSeconds(59)));
        poller.poll();
        assertThat(poller.consecutiveFailures()).isEqualTo(2);
        assertThat(poller.nextPoll()).isAfter(before.plus(Duration.ofSeconds(119)));
        assertThat(ingest.count(IngestMetrics.POLLS, "outcome", "error")).isEqualTo(2);
        assertThat(ingest.count(IngestMetrics.ERRORS, "stage", "parse_feed", "reason", "malformed")).isEqualTo(2);
    }

    @Test
    void doctypeWithExternalEntityIsRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<rss version=\"2.0\"><channel><title>&x;</title><link>http://x/</link><description>d</description></channel></rss>";
        server.route("/xxe.rss", 200, "application/rss+xml", xxe);
        poller(server.uri("/xxe.rss")).poll();
        assertThat(ingest.published).isEmpty();
        assertThat(ingest.errors).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(IngestError.Reason.MALFORMED);
            assertThat(e.message()).contains("DOCTYPE");
        });
    }

    @Test
    void unreachableFeedIsReported() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        poller(URI.create("http://127.0.0.1:" + closedPort + "/feed.rss")).poll();
        assertThat(ingest.errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_FEED);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.UNREACHABLE);
        });
    }

    @Test
    void failedPublishIsRetriedOnTheNextPollEvenWhenTheFeedSaysNotModified() {
        server.route("/feed.rss", ex -> {
            boolean match = "\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"));
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            FixtureServer.send(ex, match ? 304 : 200, "application/rss+xml", match ? new byte[0] : rss(item("A", "/a/1", "s")).getBytes(StandardCharsets.UTF_8));
        }).route("/a/1", 200, "text/html", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));
        ingest.failPublish = true;
        assertThat(poller.poll()).isZero();
        ingest.failPublish = false;
        assertThat(poller.poll()).isEqualTo(1);
        assertThat(poller.poll()).isZero();
        assertThat(ingest.published).hasSize(1);
        assertThat(ingest.errors).singleElement().satisfies(e -> assertThat(e.stage()).isEqualTo(IngestError.Stage.PUBLISH));
        assertThat(ingest.count(IngestMetrics.POLLS, "outcome", "not_modified")).isEqualTo(1);
    }

    @Test
    void aRestartWithSavedStateReEmitsNothing() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(itemWithGuid("g1", "One", "/a/1", 1), itemWithGuid("g2", "Two", "/a/2", 2)))
                .route("/a/1", 200, "text/html", PAGE).route("/a/2", 200, "text/html", PAGE);
        FeedPoller first = poller(server.uri("/feed.rss"));
        assertThat(first.poll()).isEqualTo(2);
        FeedState saved = first.state();

        FeedPoller afterRestart = new FeedPoller(spec(server.uri("/feed.rss")), ingest.ctx, Optional.of(saved));
        assertThat(afterRestart.poll()).isZero();
        assertThat(ingest.published).hasSize(2);
        assertThat(afterRestart.state().polls()).isEqualTo(2);
    }

    @Test
    void aFeedMovedToANewAddressKeepsWhatItSawButNotItsValidators() {
        List<String> conditional = new ArrayList<>();
        String feed = rss(itemWithGuid("g1", "One", "/a/1", 1));
        server.route("/old.rss", 200, "application/rss+xml", feed).route("/a/1", 200, "text/html", PAGE)
                .route("/new.rss", ex -> {
                    conditional.add(String.valueOf(ex.getRequestHeaders().getFirst("If-None-Match")));
                    FixtureServer.send(ex, 200, "application/rss+xml", feed.getBytes(StandardCharsets.UTF_8));
                });
        FeedPoller first = poller(server.uri("/old.rss"));
        first.poll();
        FeedState saved = first.state();
        FeedState withValidator = new FeedState(saved.schemaVersion(), saved.feed(), saved.url(), "\"old\"", null, saved.seen(),
                saved.intervalMillis(), saved.nextPoll().plus(Duration.ofDays(1)), saved.lastAttempt(), saved.lastSuccess(), 3, saved.polls(), 0, "x", null);
        FeedPoller moved = new FeedPoller(spec(server.uri("/new.rss")), ingest.ctx, Optional.of(withValidator));
        assertThat(moved.nextPoll()).isBefore(Instant.now().plusSeconds(1));
        assertThat(moved.poll()).isZero();
        assertThat(conditional).containsExactly("null");
        assertThat(ingest.published).hasSize(1);
    }

    @Test
    void aNewFeedPublishesAtMostTheBackfillNewestFirst() {
        try (TestIngest small = new TestIngest(3, Duration.ofSeconds(5))) {
            List<String> items = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                items.add(itemWithGuid("g" + i, "Story " + i, "/a/" + i, i));
                server.route("/a/" + i, 200, "text/html", PAGE);
            }
            server.route("/feed.rss", 200, "application/rss+xml", rss(items.toArray(String[]::new)));
            FeedPoller poller = new FeedPoller(spec(server.uri("/feed.rss")), small.ctx, Optional.empty());
            assertThat(poller.poll()).isEqualTo(3);
            assertThat(small.published).extracting(Article::title).containsExactly("Story 8", "Story 9", "Story 10");
            assertThat(small.count(IngestMetrics.BACKFILL_SKIPPED)).isEqualTo(7);

            items.add(itemWithGuid("g11", "Story 11", "/a/11", 11));
            server.route("/a/11", 200, "text/html", PAGE).route("/feed.rss", 200, "application/rss+xml", rss(items.toArray(String[]::new)));
            assertThat(poller.poll()).isEqualTo(1);
        }
    }

    @Test
    void aPossibleGapIsCountedAndPolledSooner() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(itemWithGuid("g1", "One", "/a/1", 1)))
                .route("/a/1", 200, "text/html", PAGE).route("/a/2", 200, "text/html", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));
        poller.poll();
        server.route("/feed.rss", 200, "application/rss+xml", rss(itemWithGuid("g2", "Two", "/a/2", 2)));
        Instant before = Instant.now();
        assertThat(poller.poll()).isEqualTo(1);
        assertThat(ingest.count(IngestMetrics.GAPS)).isEqualTo(1);
        assertThat(poller.nextPoll()).isBefore(before.plus(Duration.ofSeconds(11)));   // min-interval, not the 1 min interval
    }

    @Test
    void duplicateGuidsOnDifferentLinksAreDifferentItems() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(itemWithGuid("same", "One", "/a/1", 1), itemWithGuid("same", "Two", "/a/2", 2),
                itemWithGuid("same", "Two again", "/a/2", 3))).route("/a/1", 200, "text/html", PAGE).route("/a/2", 200, "text/html", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));
        assertThat(poller.poll()).isEqualTo(2);
        assertThat(poller.poll()).isZero();
        assertThat(ingest.count(IngestMetrics.IDENTITY, "issue", "ambiguous_guid")).isPositive();
        assertThat(ingest.count(IngestMetrics.IDENTITY, "issue", "duplicate_in_feed")).isPositive();
    }

    @Test
    void itemsWithoutGuidsAreKnownByTheirLinks() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("One", "/a/1?utm_source=rss", "s"), item("Two", "/a/2", "s")))
                .route("/a/1", 200, "text/html", PAGE).route("/a/2", 200, "text/html", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));
        assertThat(poller.poll()).isEqualTo(2);
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("One (updated)", "/a/1?utm_source=other", "s"), item("Two", "/a/2", "s")));
        assertThat(poller.poll()).isZero();
    }

    @Test
    void guidsThatChangeOnEveryPollPublishNothingTwice() {
        AtomicInteger n = new AtomicInteger();
        server.route("/feed.rss", ex -> {
            int poll = n.incrementAndGet();
            FixtureServer.send(ex, 200, "application/rss+xml", rss(itemWithGuid("run" + poll + "-1", "One", "/a/1", 1),
                    itemWithGuid("run" + poll + "-2", "Two", "/a/2", 2)).getBytes(StandardCharsets.UTF_8));
        }).route("/a/1", 200, "text/html", PAGE).route("/a/2", 200, "text/html", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));
        assertThat(poller.poll()).isEqualTo(2);
        assertThat(poller.poll()).isZero();
        assertThat(poller.poll()).isZero();
        assertThat(ingest.published).hasSize(2);
    }

    @Test
    void invalidUtf8IsReportedAndTheFeedStillRead() {
        byte[] head = rss(item("Caf", "/a/1", "s")).getBytes(StandardCharsets.UTF_8);
        String xml = new String(head, StandardCharsets.UTF_8);
        int cut = xml.indexOf("Caf") + 3;
        byte[] bad = new byte[head.length + 2];
        System.arraycopy(head, 0, bad, 0, cut);
        bad[cut] = (byte) 0xC3;     // a lead byte followed by an ASCII byte: invalid UTF-8
        bad[cut + 1] = (byte) 0x28;
        System.arraycopy(head, cut, bad, cut + 2, head.length - cut);
        server.route("/feed.rss", ex -> FixtureServer.send(ex, 200, "application/rss+xml; charset=utf-8", bad)).route("/a/1", 200, "text/html", PAGE);
        assertThat(poller(server.uri("/feed.rss")).poll()).isEqualTo(1);
        assertThat(ingest.published.get(0).title()).startsWith("Caf\uFFFD(");
        assertThat(ingest.errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.PARSE_FEED);
            assertThat(e.message()).contains("invalid UTF-8 at byte").contains("still read");
        });
    }

    @Test
    void rateLimitingHonoursRetryAfter() {
        server.route("/feed.rss", ex -> {
            ex.getResponseHeaders().set("Retry-After", "900");
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        FeedPoller poller = poller(server.uri("/feed.rss"));
        Instant before = Instant.now();
        poller.poll();
        assertThat(poller.nextPoll()).isAfterOrEqualTo(before.plus(Duration.ofSeconds(900)));
        assertThat(ingest.count(IngestMetrics.POLLS, "outcome", "rate_limited")).isEqualTo(1);
        assertThat(ingest.errors).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo(IngestError.Reason.RATE_LIMITED));
    }

    @Test
    void cacheHintsAndTtlDelayTheNextPoll() {
        String withTtl = rss(item("One", "/a/1", "s")).replace("<description>d</description>", "<description>d</description><ttl>30</ttl>");
        server.route("/feed.rss", 200, "application/rss+xml", withTtl).route("/a/1", 200, "text/html", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));
        Instant before = Instant.now();
        poller.poll();
        // ttl 30 min beats the 1 min interval (less 10% jitter at most)
        assertThat(poller.nextPoll()).isAfter(before.plus(Duration.ofMinutes(27)));
    }
}
