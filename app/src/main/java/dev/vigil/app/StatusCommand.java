package dev.vigil.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.config.Settings;
import dev.vigil.app.status.StatusView;
import dev.vigil.model.HttpUrl;
import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil status}: one screen about a running instance, from its own HTTP API
 * ({@code /health/ready}, {@code /api/status}, {@code /api/alerts}). It talks to a Vigil process
 * the operator names, not to the news, so it uses the JDK's HTTP client rather than ingest's
 * egress-guarded fetcher (which would rightly refuse 127.0.0.1).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a running Vigil on one screen.",
                "Readiness, every watched topic with its level and score, feed health, articles per second and the last alerts,",
                "from the instance's /health/ready, /api/status and /api/alerts."},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil status",
                "  vigil status --url http://vigil.internal:8080 --alerts 10",
                "%nExit codes: 0 the instance is ready; 1 it is not ready, cannot be reached, or none of the feeds it polls is reachable",
                "(\"0 of N feeds reachable\": no network?)."})
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "The instance's HTTP address (env VIGIL_URL; default: http://127.0.0.1:8080).")
    String url;

    @Option(names = "--alerts", paramLabel = "N", defaultValue = "5", description = "How many of the last alerts to show (default: ${DEFAULT-VALUE}).")
    int alerts;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = CommonOptions.DurationConverter.class,
            description = "How long to wait for each answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        if (alerts < 0 || alerts > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--alerts: expected 0 to 1000, found " + alerts);
        }
        URI base = base();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        JsonNode ready;
        int readyStatus;
        try {
            HttpResponse<String> r = get(client, base.resolve("/health/ready"));
            readyStatus = r.statusCode();
            ready = Json.mapper().readTree(r.body());
        } catch (IOException e) {
            err.printf("vigil status: no Vigil answers at %s: %s%n  is it running? (`vigil run` serves HTTP on port 8080 unless --http-port says otherwise)%n",
                    base, describe(e));
            return Vigil.EXIT_FAILED;
        }
        List<String> checks = new ArrayList<>();
        for (Map.Entry<String, JsonNode> c : ready.path("checks").properties()) {
            checks.add(c.getKey() + (c.getValue().asBoolean() ? " ok" : " DOWN"));
        }
        out.printf("Vigil at %s: %s (%s)%n", base, readyStatus == 200 ? "ready" : "NOT READY", String.join(", ", checks));

        StatusView.Snapshot board = fetch(client, base.resolve("/api/status"), StatusView.Snapshot.class, err);
        boolean noFeedReachable = board != null && board.feeds().warning() != null;
        if (board != null) {
            printTopics(out, board);
            printFeeds(out, board.feeds());
            out.printf(Locale.ROOT, "%nThroughput: %.2f articles/s ingested, %.2f articles/s tagged%n", board.throughput().ingestedPerSecond(),
                    board.throughput().taggedPerSecond());
        }
        if (alerts > 0) {
            AlertList list = fetch(client, base.resolve("/api/alerts?limit=" + alerts), AlertList.class, err);
            if (list != null) {
                printAlerts(out, list.alerts());
            }
        }
        out.flush();
        if (noFeedReachable) {
            err.printf("vigil status: %s: every feed polled so far failed (no network, a proxy, an egress allow-list?)%n", board.feeds().warning());
        }
        return readyStatus == 200 && !noFeedReachable ? 0 : Vigil.EXIT_FAILED;
    }

    /** The body of {@code GET /api/alerts}. */
    record AlertList(List<Alert> alerts) {
        AlertList {
            alerts = alerts == null ? List.of() : List.copyOf(alerts);
        }
    }

    private URI base() {
        String raw = url != null ? url : Settings.of(Vigil.env(spec)).env(Settings.URL);
        if (raw == null) {
            raw = "http://127.0.0.1:" + Settings.DEFAULT_HTTP_PORT;
        }
        try {
            return HttpUrl.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url: expected an address such as http://127.0.0.1:8080, found '" + raw + "'");
        }
    }

    private HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private <T> T fetch(HttpClient client, URI uri, Class<T> type, PrintWriter err) throws InterruptedException {
        try {
            HttpResponse<String> r = get(client, uri);
            if (r.statusCode() == 404) {
                err.printf("vigil status: %s is not served by this instance (it runs %s)%n", uri.getPath(),
                        uri.getPath().startsWith("/api/alerts") ? "no alerts service" : "no status board: only `vigil run` and `vigil demo` have one");
                return null;
            }
            if (r.statusCode() != 200) {
                err.printf("vigil status: %s answered HTTP %d%n", uri, r.statusCode());
                return null;
            }
            return Json.mapper().readValue(r.body(), type);
        } catch (JsonProcessingException e) {
            err.printf("vigil status: %s: unexpected answer: %s%n", uri, e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            err.printf("vigil status: %s: %s%n", uri, describe(e));
            return null;
        }
    }

    private static void printTopics(PrintWriter out, StatusView.Snapshot board) {
        out.printf("%nTopics%n");
        if (board.topics().isEmpty()) {
            out.println("  no scores yet: a topic appears once an article matches it");
        }
        for (StatusView.Topic t : board.topics()) {
            String next = nextThreshold(t);
            out.printf(Locale.ROOT, "  %-20s %-9s score %6.1f%s  %d stories from %d outlets  (as of %s)%n", t.topic(), t.level().toUpperCase(Locale.ROOT),
                    t.score(), next, t.stories(), t.sources(), TIME.format(Instant.ofEpochMilli(t.at())));
        }
    }

    /** "/ 15.0 high": the next threshold up, so a score reads against what it would take. */
    private static String nextThreshold(StatusView.Topic t) {
        return t.thresholds().entrySet().stream().filter(e -> e.getValue() > t.score()).min(Map.Entry.comparingByValue())
                .map(e -> String.format(Locale.ROOT, " / %.1f %s", e.getValue(), e.getKey())).orElse("");
    }

    private static void printFeeds(PrintWriter out, StatusView.Feeds f) {
        out.printf("%nFeeds polled here: %d (%d ok, %d slowed, %d failing, %d pending)%n", f.total(), f.ok(), f.slowed(), f.failing(), f.pending());
        if (f.warning() != null) {
            out.printf("  WARNING: %s%n", f.warning());
        }
        f.problems().stream().limit(8).forEach(p -> out.printf("  %-8s %-24s %d failed polls: %s%n", p.state(), p.feed(), p.failures(),
                p.lastError() == null ? "" : p.lastError()));
        if (f.problems().size() > 8) {
            out.printf("  … and %d more: `vigil feeds list` shows every feed%n", f.problems().size() - 8);
        }
    }

    private static void printAlerts(PrintWriter out, List<Alert> alerts) {
        out.printf("%nLast alerts%n");
        if (alerts.isEmpty()) {
            out.println("  none yet");
        }
        for (Alert a : alerts) {
            Alert.Data d = a.data();
            out.printf(Locale.ROOT, "  %s  %-16s %-9s (%s, was %s)  score %.1f  %s%n", TIME.format(a.time()), d.topic(), d.level().wireName().toUpperCase(Locale.ROOT),
                    d.transition().wireName(), d.previousLevel().wireName(), d.score(), a.id());
        }
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
