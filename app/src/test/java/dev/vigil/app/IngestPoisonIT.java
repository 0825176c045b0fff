package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.IngestMetrics;
import dev.vigil.ingest.IngestService;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.model.Article;
import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.IngestError;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One feed, four items, against a real broker: a plain article, one whose page yields about
 * 1,047,800 characters of text, one whose byline alone is over a megabyte, and another plain one.
 * Before the caps and the permanent/transient split, the big page made every poll fail as
 * "unreachable", never publish the items after it, and re-publish those before it. Now the big
 * page is published with its text cut to {@link Article#MAX_TEXT_CHARS}, the item that cannot
 * fit is skipped with a {@code too_large} error event, the rest are published once, and the feed
 * stays healthy through later polls.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IngestPoisonIT {

    @TempDir
    Path dir;

    static final int BIG_PAGE_CHARS = 1_047_800;

    static String page(String title, int chars) {
        StringBuilder html = new StringBuilder(chars + 512).append("<html><head><title>").append(title).append("</title></head><body><article>");
        String sentence = "The navy said the boat strike near Venezuela was the third this week, officials said. ";
        int written = 0;
        while (written < chars) {
            StringBuilder p = new StringBuilder();
            while (p.length() < 1_000) {
                p.append(sentence);
            }
            html.append("<p>").append(p).append("</p>\n");
            written += p.length() + 2;
        }
        return html.append("</article></body></html>").toString();
    }

    static String feed(URI base) {
        String byline = "x".repeat(1_100_000);
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Poison Post</title><link>%1$s</link>
                <item><title>First plain story</title><link>%1$sa/1.html</link><guid>p-1</guid><pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate></item>
                <item><title>A page of a megabyte</title><link>%1$sa/big.html</link><guid>p-big</guid><pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate></item>
                <item><title>A byline of a megabyte</title><guid>p-byline</guid><dc:creator>%2$s</dc:creator><description>short</description><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate></item>
                <item><title>Second plain story</title><link>%1$sa/2.html</link><guid>p-2</guid><pubDate>Mon, 30 Nov 2026 11:00:00 GMT</pubDate></item>
                </channel></rss>
                """.formatted(base, byline);
    }

    @Test
    void aBigItemIsCappedOrSkippedAndTheRestPublishOnce() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        AtomicInteger feedPolls = new AtomicInteger();
        Map<String, String> pages = Map.of("/a/1.html", page("First plain story", 2_000), "/a/big.html", page("A page of a megabyte", BIG_PAGE_CHARS),
                "/a/2.html", page("Second plain story", 2_000), "/feed.xml", feed(base));
        server.createContext("/", exchange -> {
            String body = pages.get(exchange.getRequestURI().getPath());
            if (exchange.getRequestURI().getPath().equals("/feed.xml")) {
                feedPolls.incrementAndGet();
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", exchange.getRequestURI().getPath().endsWith(".xml") ? "application/rss+xml" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException e) {
                LoggerFactory.getLogger(IngestPoisonIT.class).info("fixture: {}", e.toString());
            }
        });
        server.start();
        FeedId feedId = new FeedId("poison");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            String bootstrap = kafka.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            IngestSettings settings = IngestSettings.of(bootstrap, List.of(new dev.vigil.ingest.FeedSpec(feedId, base.resolve("/feed.xml"), "Poison Post", "en",
                            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1))))
                    .withEgress(EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.1/32"))))
                    .withFetch(FetchSettings.defaults().withDeadline(Duration.ofSeconds(10)).withHostLimits(8, Duration.ZERO))
                    .withMaxBytes(4 << 20, 4 << 20)
                    .withBackfill(100)
                    .withGroup("poison-ingest-" + UUID.randomUUID(), Duration.ofSeconds(10));
            try (IngestService ingest = new IngestService(settings, registry, Clock.systemUTC())) {
                ingest.start();
                Await.until(Duration.ofSeconds(60), () -> "three articles on vigil.articles; ingest says " + ingest.feedStates(),
                        () -> KafkaProbe.committedCount(bootstrap, Topics.ARTICLES) >= 3);
                int pollsThen = feedPolls.get();
                Await.until(Duration.ofSeconds(30), "three more polls of the feed", () -> feedPolls.get() >= pollsThen + 3);

                List<Article> articles = KafkaProbe.committedValues(bootstrap, Topics.ARTICLES);
                // each once; vigil.articles has three partitions, read one after the other, so in no particular order
                assertThat(articles).extracting(Article::title).containsExactlyInAnyOrder("First plain story", "A page of a megabyte", "Second plain story");
                assertThat(articles).allSatisfy(a -> {
                    boolean big = a.title().equals("A page of a megabyte");
                    assertThat(a.truncated()).as("truncated: %s", a.title()).isEqualTo(big);
                    if (big) {
                        assertThat(a.text()).hasSize(Article.MAX_TEXT_CHARS);
                    }
                });

                List<IngestError> errors = KafkaProbe.committedValues(bootstrap, Topics.INGEST_ERRORS);
                assertThat(errors).filteredOn(e -> e.stage() == IngestError.Stage.PUBLISH).singleElement().satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(IngestError.Reason.TOO_LARGE);
                    assertThat(e.message()).contains("skipped");
                });
                FeedState state = ingest.feedStates().stream().filter(s -> s.feed().equals(feedId)).findFirst().orElseThrow();
                assertThat(state.consecutiveFailures()).isZero();
                assertThat(state.lastError()).isNull();
                assertThat(registry.find(IngestMetrics.TRUNCATED).counter().count()).isEqualTo(1.0);
                LoggerFactory.getLogger(IngestPoisonIT.class).info("ingest poison: {} articles published once over {} polls, errors {}",
                        articles.size(), feedPolls.get(), errors.stream().map(e -> e.stage().wireName() + "/" + e.reason().wireName()).toList());
            }
        } finally {
            server.stop(0);
        }
    }
}
