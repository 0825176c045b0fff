package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.app.status.StatusView;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.model.FeedHealth;
import dev.vigil.model.FeedId;
import dev.vigil.model.Json;
import dev.vigil.streams.rules.RulesLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feed health has one home ({@link FeedHealth}): the {@code vigil_ingest_feeds} meter, the status
 * page's {@code /api/status} and {@code vigil status} count the same feeds the same way, and when
 * no feed answers all of them say so.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FeedHealthAgreementIT {

    private static final Pattern FEEDS_GAUGE = Pattern.compile("^vigil_ingest_feeds\\{[^}]*state=\"([a-z_]+)\"[^}]*} ([0-9.]+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    /** Feeds on a loopback port nobody listens on: refused at once, retried only after a long backoff, so they stay at one failure. */
    private static List<FeedSpec> unreachable(int n) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<FeedSpec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new FeedSpec(new FeedId("gone-" + i), URI.create("http://127.0.0.1:" + closed + "/feed-" + i + ".rss"), "Gone " + i, "en",
                    Duration.ofMinutes(10)));
        }
        return out;
    }

    @Test
    void metricPageAndStatusCountFailingFeedsAlike() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0); VigilProcess process = new VigilProcess("all")) {
            String bootstrap = kafka.bootstrapServers();
            process.connect(bootstrap, "127.0.0.1", 0);
            DemoServer server = process.add(new DemoServer(DemoScenario.load(), 1800, Clock.systemUTC(), item -> { }));
            List<FeedSpec> feeds = new ArrayList<>(server.feeds(Duration.ofSeconds(1)));
            int good = feeds.size();
            feeds.addAll(unreachable(3));
            var ingest = process.startIngest(DemoServer.ingestSettings(bootstrap, feeds));
            process.startStatusPage(bootstrap, RulesLoader.loadDefault().alerting().thresholds(), ingest::feedStates);
            String url = "http://127.0.0.1:" + process.opsPort();

            Await.until(Duration.ofSeconds(60), "every good feed answered and every gone feed failed once",
                    () -> board(url).feeds().ok() == good && board(url).feeds().failing() == 3);
            // the gone feeds have failed once (fewer than FAILING_AFTER times) but never answered: failing everywhere
            StatusView.Feeds page = board(url).feeds();
            Map<FeedHealth, Double> metric = gauges(url);
            assertThat(page.failing()).isEqualTo(3);
            assertThat(metric.get(FeedHealth.FAILING)).isEqualTo((double) page.failing());
            assertThat(metric.get(FeedHealth.OK)).isEqualTo((double) page.ok());
            assertThat(metric.get(FeedHealth.SLOWED)).isEqualTo((double) page.slowed());
            assertThat(metric.get(FeedHealth.PENDING)).isEqualTo((double) page.pending());
            assertThat(page.warning()).isNull();
            assertThat(page.problems()).extracting(StatusView.FeedProblem::reason).containsOnly("unreachable");

            StatusCommandIT.Run r = StatusCommandIT.status(Map.of(), "--url", url, "--alerts", "0");
            assertThat(r.out()).contains(String.format("Feeds polled here: %d (%d ok, %d slowed, 3 failing, %d pending)", good + 3, good, page.slowed(),
                    page.pending())).doesNotContain("WARNING");
        }
    }

    @Test
    void whenNoFeedIsReachableThePageTheMetricAndStatusSaySo() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0); VigilProcess process = new VigilProcess("all")) {
            String bootstrap = kafka.bootstrapServers();
            process.connect(bootstrap, "127.0.0.1", 0);
            var ingest = process.startIngest(DemoServer.ingestSettings(bootstrap, unreachable(4)));
            process.startStatusPage(bootstrap, RulesLoader.loadDefault().alerting().thresholds(), ingest::feedStates);
            String url = "http://127.0.0.1:" + process.opsPort();

            Await.until(Duration.ofSeconds(60), "every feed failed once", () -> board(url).feeds().failing() == 4);
            assertThat(board(url).feeds().warning()).isEqualTo("0 of 4 feeds reachable");
            assertThat(gauges(url).get(FeedHealth.FAILING)).isEqualTo(4.0);

            StatusCommandIT.Run r = StatusCommandIT.status(Map.of(), "--url", url, "--alerts", "0");
            assertThat(r.exit()).as(r.out()).isEqualTo(Vigil.EXIT_FAILED);
            assertThat(r.out()).contains("Vigil at " + url + ": ready", "WARNING: 0 of 4 feeds reachable");
            assertThat(r.err()).contains("0 of 4 feeds reachable: every feed polled so far failed");
        }
    }

    private static StatusView.Snapshot board(String url) {
        try {
            return Json.mapper().readValue(get(url + "/api/status"), StatusView.Snapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException("reading /api/status", e);
        }
    }

    private static Map<FeedHealth, Double> gauges(String url) {
        Map<FeedHealth, Double> out = new EnumMap<>(FeedHealth.class);
        Matcher m = FEEDS_GAUGE.matcher(get(url + "/metrics"));
        while (m.find()) {
            for (FeedHealth h : FeedHealth.values()) {
                if (h.wireName().equals(m.group(1))) {
                    out.put(h, Double.parseDouble(m.group(2)));
                }
            }
        }
        assertThat(out).as("a vigil_ingest_feeds gauge per health state").hasSize(FeedHealth.values().length);
        return out;
    }

    private static String get(String uri) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(uri).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
    }
}
