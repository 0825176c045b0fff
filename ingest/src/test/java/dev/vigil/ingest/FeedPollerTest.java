package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Article;
import dev.vigil.model.FeedId;
import dev.vigil.model.IngestError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private final List<Article> published = new ArrayList<>();
    private final List<IngestError> errors = new ArrayList<>();
    private final ArticleSink sink = new ArticleSink() {
        @Override
        public void publish(List<Article> articles) {
            published.addAll(articles);
        }

        @Override
        public void error(IngestError error) {
            errors.add(error);
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = new FixtureServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String rss(String... itemXml) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Caribbean Herald</title>"
                + "<link>" + server.uri("/") + "</link><description>d</description>" + String.join("", itemXml) + "</channel></rss>";
    }

    private static String item(String title, String link, String summary) {
        return "<item><title>" + title + "</title><link>" + link + "</link><description>" + summary + "</description>"
                + "<pubDate>Sun, 16 Nov 2025 10:00:00 GMT</pubDate></item>";
    }

    private FeedPoller poller(URI feed) {
        FeedSpec spec = new FeedSpec(new FeedId("herald"), feed, null, null, Duration.ofMinutes(1));
        return new FeedPoller(spec, new HttpFetcher(Duration.ofSeconds(5), 1 << 20), sink, new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    }

    @Test
    void publishesNewItemsWithExtractedTextOnce() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("US designates cartel", "/a/1?utm_source=rss", "Summary.")))
                .route("/a/1", 200, "text/html; charset=utf-8", PAGE);
        FeedPoller poller = poller(server.uri("/feed.rss"));

        assertThat(poller.poll()).isEqualTo(1);
        assertThat(poller.poll()).isZero();

        Article a = published.get(0);
        assertThat(a.textOrigin()).isEqualTo(Article.TextOrigin.EXTRACTED);
        assertThat(a.text()).contains("foreign terrorist organization").doesNotContain("Home").doesNotContain("Copyright");
        assertThat(a.source()).isEqualTo("Caribbean Herald");
        assertThat(a.url()).isEqualTo(server.uri("/a/1?utm_source=rss").toString());
        assertThat(a.published()).isEqualTo("2025-11-16T10:00:00Z");
        assertThat(a.language()).isEqualTo("en");
        assertThat(errors).isEmpty();
    }

    @Test
    void pageThatFailsFallsBackToTheSummaryAndIsReported() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("Gone", "/missing", "The feed summary of the story.")));
        poller(server.uri("/feed.rss")).poll();

        assertThat(published).singleElement().satisfies(a -> {
            assertThat(a.textOrigin()).isEqualTo(Article.TextOrigin.FEED_SUMMARY);
            assertThat(a.text()).isEqualTo("The feed summary of the story.");
        });
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_PAGE);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.HTTP_STATUS);
            assertThat(e.url()).endsWith("/missing");
            assertThat(e.feed()).isEqualTo(new FeedId("herald"));
        });
    }

    @Test
    void malformedFeedIsReportedWithFeedAndReason() {
        server.route("/bad.rss", 200, "application/rss+xml", "<rss><channel><title>oops</channel>");
        assertThat(poller(server.uri("/bad.rss")).poll()).isZero();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.PARSE_FEED);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.MALFORMED);
            assertThat(e.message()).startsWith("not a feed");
        });
    }

    @Test
    void doctypeWithExternalEntityIsRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<rss version=\"2.0\"><channel><title>&x;</title><link>http://x/</link><description>d</description></channel></rss>";
        server.route("/xxe.rss", 200, "application/rss+xml", xxe);
        poller(server.uri("/xxe.rss")).poll();
        assertThat(published).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo(IngestError.Reason.MALFORMED));
    }

    @Test
    void unreachableFeedIsReported() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        poller(URI.create("http://127.0.0.1:" + closedPort + "/feed.rss")).poll();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo(IngestError.Stage.FETCH_FEED);
            assertThat(e.reason()).isEqualTo(IngestError.Reason.UNREACHABLE);
        });
    }

    @Test
    void failedPublishIsRetriedOnTheNextPoll() {
        server.route("/feed.rss", 200, "application/rss+xml", rss(item("A", "/a/1", "s")))
                .route("/a/1", 200, "text/html", PAGE);
        List<List<Article>> attempts = new ArrayList<>();
        ArticleSink flaky = new ArticleSink() {
            @Override
            public void publish(List<Article> articles) throws PublishException {
                attempts.add(articles);
                if (attempts.size() == 1) {
                    throw new PublishException("broker down", null);
                }
            }

            @Override
            public void error(IngestError error) {
                errors.add(error);
            }
        };
        FeedSpec spec = new FeedSpec(new FeedId("herald"), server.uri("/feed.rss"), "Herald", "en", Duration.ofMinutes(1));
        FeedPoller poller = new FeedPoller(spec, new HttpFetcher(Duration.ofSeconds(5), 1 << 20), flaky, new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        assertThat(poller.poll()).isZero();
        assertThat(poller.poll()).isEqualTo(1);
        assertThat(poller.poll()).isZero();
        assertThat(attempts).hasSize(2);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.stage()).isEqualTo(IngestError.Stage.PUBLISH));
    }
}
