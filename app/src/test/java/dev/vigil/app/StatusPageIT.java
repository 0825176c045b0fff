package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.Routing;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Json;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium, against the whole pipeline on the demo scenario:
 * the page must render the topic with its level and chart, the alerts with their evidence, feed
 * health and throughput, update live, and show a hostile headline as text. A screenshot is saved
 * to {@code app/target/status-page.png}. Then the page is loaded again with both event streams
 * blocked: its first paint must already show the board and the alerts that exist, the chart's
 * latest values in its legend and its times in UTC ({@code app/target/status-page-first-paint.png}).
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StatusPageIT {

    /** Entity-escaped in the feed, as a headline about markup would be: it arrives as the text {@code <img src=x onerror=...>}. */
    static final String HOSTILE = "Venezuela &lt;img src=x onerror=\"document.title='pwned'\"&gt; strike on boat";

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try")
    void statusPageRendersTopicsAlertsFeedsAndThroughputAndUpdatesLive() throws Exception {
        assumeTrue(HeadlessChromium.binary() != null, "chromium is not installed (.ci/run installs it): status page not checked in a browser");
        DemoScenario demo = DemoScenario.load();
        List<DemoScenario.Item> items = new ArrayList<>(demo.items());
        // a headline carrying markup must reach the page as text, never as an element
        items.add(new DemoScenario.Item(Duration.ofMinutes(30), "herald", "hostile-headline", HOSTILE, List.of(
                "The US military carried out a strike on a boat near Venezuela on Monday, the Pentagon said, the latest in a campaign against "
                        + "vessels it says belong to a designated terrorist organization.",
                "The aircraft carrier USS Gerald R. Ford moved closer to the coast of Venezuela as the strike was announced, officials said, "
                        + "and Caracas condemned what it called an act of war."),
                "US strike on a boat near Venezuela.", false));
        DemoScenario scenario = new DemoScenario(demo.outlets(), items);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             VigilProcess process = new VigilProcess("all");
             HeadlessChromium browser = HeadlessChromium.start(dir.resolve("chromium"))) {
            String bootstrap = kafka.bootstrapServers();
            process.connect(bootstrap, "127.0.0.1", 0);
            var rules = RulesLoader.loadDefault();
            process.startStreams(new StreamsSettings(bootstrap, "status-it", dir.resolve("streams"), Duration.ofSeconds(10), Map.of()), rules);
            Routing routing = Routing.empty().withCatchAll(new Receiver.Console(new ReceiverName("console")));
            process.startAlerts(AlertsSettings.of(bootstrap, routing).withGroupId("status-it-alerts"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (r, a) -> { });
            // an accelerated clock (a scenario hour every 0.4 s), started after the page is asked for: it follows the escalation live
            DemoServer server = process.add(new DemoServer(scenario, 3600.0 / 0.4, Clock.systemUTC(), item -> { }));
            var ingest = process.startIngest(DemoServer.ingestSettings(bootstrap, server.feeds(Duration.ofSeconds(1))));
            process.startStatusPage(bootstrap, rules.alerting().thresholds(), ingest::feedStates);
            int port = process.opsPort();

            browser.navigate("http://127.0.0.1:" + port + "/");
            try {
                checkPage(browser, "http://127.0.0.1:" + port);
            } finally {
                browser.screenshot(Path.of("target", "status-page.png"));
            }
            try {
                checkFirstPaint(browser, "http://127.0.0.1:" + port);
            } finally {
                browser.screenshot(Path.of("target", "status-page-first-paint.png"));
            }
        }
    }

    private static void checkPage(HeadlessChromium browser, String base) throws Exception {
        {
            browser.awaitTrue("document.getElementById('live') && document.getElementById('live').textContent === 'live'", Duration.ofSeconds(30));
            // live: the topic appears and climbs to critical while the page stays open
            browser.awaitTrue("!!document.querySelector('.topic[data-topic=\"venezuela\"]')", Duration.ofSeconds(60));
            browser.awaitTrue("document.querySelector('.topic[data-topic=\"venezuela\"]').dataset.level === 'critical'", Duration.ofSeconds(90));
            // the page shows exactly the alerts the API has, newest first: how many depends on how the polls
            // batched the stories (two stories in one poll can go from normal straight to high)
            Await.until(Duration.ofSeconds(30), "the page's alerts to be the API's", () -> {
                List<String> api = apiAlertIds(base);
                return api.size() >= 2 && api.equals(pageAlertIds(browser));
            });
            browser.awaitTrue("document.body.innerText.indexOf('strike on boat') >= 0", Duration.ofSeconds(30));

            String text = browser.eval("document.body.innerText").asText();
            assertThat(text).contains("venezuela", "CRITICAL", "normal → ", "→ critical", "matched:", "Gulf Coast Ledger");
            assertThat(browser.eval("document.querySelectorAll('.topic .uplot canvas').length").asInt()).isPositive();
            // the chart draws the three thresholds as flat series of their own, over every point of the score
            assertThat(browser.eval("document.querySelector('.topic .u-legend').innerText").asText()).contains("elevated 6", "high 15", "critical 30");
            assertThat(browser.eval("(function(){var p=window.vigilCharts&&window.vigilCharts['venezuela'];"
                    + "return p && p.data.length === 5 && p.data[2].length === p.data[1].length && p.data[4][0] === 30;})()").asBoolean()).isTrue();
            // feed health: the seven outlets, all fine
            assertThat(browser.eval("document.querySelector('#feeds .count.ok b').textContent").asText()).isEqualTo("7");
            assertThat(browser.eval("document.querySelectorAll('#throughput .count').length").asInt()).isEqualTo(2);
            // the hostile headline is text: no injected element, no script run
            assertThat(browser.eval("document.querySelectorAll('img[src=\"x\"]').length").asInt()).isZero();
            assertThat(browser.eval("document.title").asText()).isEqualTo("Vigil status");
            assertThat(text).contains("<img src=x onerror=");
        }
    }

    /** The page loaded while no stream can deliver: what it shows came from its first fetches alone. */
    private static void checkFirstPaint(HeadlessChromium browser, String base) throws Exception {
        browser.call("Network.enable", Map.of());
        browser.call("Network.setBlockedURLs", Map.of("urls", List.of("*/api/status/stream*", "*/api/alerts/stream*")));
        List<String> before = newest(apiAlertIds(base));
        browser.navigate(base + "/");
        browser.awaitTrue("!!document.querySelector('.topic[data-topic=\"venezuela\"]') && document.querySelectorAll('#alerts .alert').length > 0",
                Duration.ofSeconds(30));
        List<String> after = newest(apiAlertIds(base));
        // no stream event reached the page: only the stream's snapshot says "live"
        assertThat(browser.eval("document.getElementById('live').textContent").asText()).isNotEqualTo("live");
        assertThat(browser.eval("document.querySelector('.topic[data-topic=\"venezuela\"]').dataset.level").asText()).isEqualTo("critical");
        assertThat(browser.eval("document.querySelector('#feeds .count.ok b').textContent").asText()).isEqualTo("7");
        // the alerts that existed, newest first (an alert landing during the load may be in or out)
        assertThat(pageAlertIds(browser)).isIn(before, after);
        assertThat(before).hasSizeGreaterThanOrEqualTo(2);
        // the legend shows the latest point, not "--", and its time is the point's in UTC, 24-hour
        String legend = "(function(){var p=window.vigilCharts['venezuela'];var last=p.data[0].length-1;"
                + "var v=document.querySelectorAll('.topic[data-topic=\"venezuela\"] .u-legend .u-value');"
                + "return JSON.stringify({time:v[0].textContent,score:v[1].textContent,"
                + "expectedTime:new Date(p.data[0][last]*1000).toISOString().slice(0,19).replace('T',' ')+'Z',"
                + "expectedScore:p.data[1][last].toFixed(1),label:document.querySelector('.topic .u-legend .u-series .u-label').textContent});})()";
        JsonNode values = Json.mapper().readTree(browser.eval(legend).asText());
        assertThat(values.path("time").asText()).isEqualTo(values.path("expectedTime").asText());
        assertThat(values.path("score").asText()).isNotEqualTo("--");
        assertThat(values.path("score").asText()).isEqualTo(values.path("expectedScore").asText());
        assertThat(values.path("label").asText()).isEqualTo("time (UTC)");
        browser.call("Network.setBlockedURLs", Map.of("urls", List.of()));
    }

    /** The alerts the page asks for at first, newest first. */
    private static List<String> newest(List<String> ids) {
        return ids.subList(0, Math.min(10, ids.size()));
    }

    private static List<String> apiAlertIds(String base) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/alerts?limit=20")).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> ids = new ArrayList<>();
            Json.mapper().readTree(r.body()).path("alerts").forEach(a -> ids.add(a.path("id").asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> pageAlertIds(HeadlessChromium browser) {
        try {
            String ids = browser.eval("Array.from(document.querySelectorAll('#alerts .alert')).map(function (e) { return e.dataset.id; }).join(' ')")
                    .asText();
            return ids.isBlank() ? List.of() : List.of(ids.split(" "));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the page's alerts: " + e, e);
        }
    }
}
