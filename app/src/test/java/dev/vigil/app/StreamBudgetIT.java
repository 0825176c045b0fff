package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.Routing;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.streams.rules.RulesLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP server's one budget of event streams, in the process {@code vigil run} composes
 * (alerts API and status page on one {@link OpsServer}, on the embedded broker): with every
 * stream the budget allows open, split between {@code /api/alerts/stream} and
 * {@code /api/status/stream}, {@code /health} and {@code /metrics} (and an ordinary API request)
 * still answer within a deadline, one more stream of either kind is refused with 503 and
 * {@code Retry-After}, the meters count both, and closing the process ends every stream.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StreamBudgetIT {

    /** What "promptly" means here: far below a scrape timeout, far above a loaded machine's hiccup. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);
    /** Status page streams opened; the rest of the budget goes to the alerts API. */
    static final int PAGE_STREAMS = 16;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(PROMPTLY).build();

    @Test
    void healthAndMetricsAnswerWithEveryStreamOpenAndOneMoreStreamIsRefused() throws Exception {
        List<InputStream> streams = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            VigilProcess process = new VigilProcess("all");
            try {
                String bootstrap = kafka.bootstrapServers();
                process.connect(bootstrap, "127.0.0.1", 0);
                process.startAlerts(AlertsSettings.of(bootstrap, Routing.empty().withCatchAll(new Receiver.Console(new ReceiverName("console"))))
                        .withGroupId("stream-budget-it"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (r, a) -> { });
                process.startStatusPage(bootstrap, RulesLoader.loadDefault().alerting().thresholds(), List::of);
                String base = "http://127.0.0.1:" + process.opsPort();
                Await.until(Duration.ofSeconds(60), "the process to be ready", () -> get(base + "/health/ready").statusCode() == 200);

                int apiStreams = OpsServer.STREAM_BUDGET - PAGE_STREAMS;
                for (int i = 0; i < apiStreams; i++) {
                    streams.add(openStream(base + "/api/alerts/stream"));
                }
                for (int i = 0; i < PAGE_STREAMS; i++) {
                    streams.add(openStream(base + "/api/status/stream"));
                }

                for (String path : List.of("/health/live", "/health/ready", "/metrics", "/api/alerts", "/api/status")) {
                    HttpResponse<String> r = get(base + path);
                    assertThat(r.statusCode()).as(path + " with every stream open").isEqualTo(200);
                }
                // more short requests at once than the threads kept for them: they wait their turn, none is dropped
                List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
                for (int i = 0; i < 2 * OpsServer.SHORT_REQUEST_THREADS; i++) {
                    burst.add(client.sendAsync(request(base + (i % 2 == 0 ? "/health/live" : "/metrics")), HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> r : burst) {
                    assertThat(r.get(PROMPTLY.toSeconds() * 2, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                }

                for (String path : List.of("/api/alerts/stream", "/api/status/stream")) {
                    HttpResponse<String> refused = get(base + path);
                    assertThat(refused.statusCode()).as(path + " beyond the budget").isEqualTo(503);
                    assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
                    assertThat(refused.body()).contains("too many open event streams", "holds " + OpsServer.STREAM_BUDGET + " at once");
                }

                String metrics = get(base + "/metrics").body();
                assertThat(meter(metrics, "vigil_http_streams", "/api/alerts/stream")).isEqualTo(apiStreams);
                assertThat(meter(metrics, "vigil_http_streams", "/api/status/stream")).isEqualTo(PAGE_STREAMS);
                assertThat(meter(metrics, "vigil_http_streams_refused_total", "/api/alerts/stream")).isEqualTo(1);
                assertThat(meter(metrics, "vigil_http_streams_refused_total", "/api/status/stream")).isEqualTo(1);
                assertThat(metrics).containsPattern("(?m)^vigil_http_streams_limit\\{[^}]*\\} " + OpsServer.STREAM_BUDGET + "\\.0$");
            } finally {
                process.close();
            }
            // closing the process ends every stream: each client reads to the end of its body
            ExecutorService readers = Executors.newFixedThreadPool(streams.size());
            try {
                List<CompletableFuture<byte[]>> ends = streams.stream().map(in -> CompletableFuture.supplyAsync(() -> drain(in), readers)).toList();
                CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            } finally {
                readers.shutdownNow();
            }
        }
    }

    private HttpRequest request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(PROMPTLY).build();
    }

    private HttpResponse<String> get(String url) {
        try {
            return client.send(request(url), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens an event stream and reads up to its first blank line, so the server has started it. */
    private InputStream openStream(String url) throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        InputStream in = r.body();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\n\n") < 0) {
            int b = in.read();
            assertThat(b).as(url + " to send its first lines").isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("retry: 3000\n");
        return in;
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            // a connection closed under the client also ends the stream
            return new byte[0];
        }
    }

    private static long meter(String metrics, String name, String endpoint) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*endpoint=\"" + Pattern.quote(endpoint) + "\"[^}]*\\} ([0-9.]+)$").matcher(metrics);
        assertThat(m.find()).as(name + " for " + endpoint + " in\n" + metrics).isTrue();
        return Math.round(Double.parseDouble(m.group(1)));
    }
}
