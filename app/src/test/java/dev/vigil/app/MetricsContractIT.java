package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.Routing;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Json;
import dev.vigil.model.Level;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import dev.vigil.model.net.Cidr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the Prometheus alerting rules only query metrics Vigil really exposes:
 * the whole pipeline runs the demo scenario to a critical alert, {@code /metrics} is scraped, and
 * every metric name in {@code deploy/grafana/dashboards/*.json} (panels, template variables and
 * annotations) and {@code deploy/prometheus/alerts.yml} must be in it. A dashboard that queries a metric nobody emits is a bug.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MetricsContractIT {

    static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
    /** Metric names start with one of these; anything else in an expression is a label, a function or a keyword. */
    static final Pattern METRIC = Pattern.compile("\\b((?:vigil|kafka|jvm|process|system)_[a-zA-Z0-9_]+)");
    static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try")
    void everyMetricTheDashboardAndAlertingRulesQueryIsExposed() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             VigilProcess process = new VigilProcess("all");
             WebhookReceiver receiver = new WebhookReceiver()) {
            String bootstrap = kafka.bootstrapServers();
            process.connect(bootstrap, "127.0.0.1", 0);
            var rules = RulesLoader.loadDefault();
            process.startStreams(new StreamsSettings(bootstrap, "metrics-it", dir.resolve("streams"), Duration.ofSeconds(10), Map.of()), rules);
            Routing routing = Routing.empty().withCatchAll(new Receiver.Console(new ReceiverName("console")))
                    .withCatchAll(Receiver.Webhook.unsigned(new ReceiverName("hook"), receiver.uri()))
                    .withEgressAllow(List.of(Cidr.parse("127.0.0.1/32")));
            process.startAlerts(AlertsSettings.of(bootstrap, routing).withGroupId("metrics-it-alerts"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (r, a) -> { });
            DemoServer server = process.add(new DemoServer(DemoScenario.load(), 3600.0 / 0.05, Clock.systemUTC(), item -> { }));
            var ingest = process.startIngest(DemoServer.ingestSettings(bootstrap, server.feeds(Duration.ofSeconds(1))));
            process.startStatusPage(bootstrap, rules.alerting().thresholds(), ingest::feedStates);
            Await.until(Duration.ofSeconds(120), "a critical alert delivered",
                    () -> receiver.alerts().stream().anyMatch(a -> a.data().level() == Level.CRITICAL));

            Set<String> queried = new TreeSet<>();
            try (var files = Files.list(ROOT.resolve("deploy/grafana/dashboards"))) {
                for (Path dashboard : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    queried.addAll(dashboardMetrics(Json.mapper().readTree(dashboard.toFile())));
                }
            }
            queried.addAll(metricsIn(Files.readString(ROOT.resolve("deploy/prometheus/alerts.yml"))));

            assertThat(queried).as("metrics found in the dashboard and the rules").hasSizeGreaterThan(15);
            // a counter with tags appears with its first event (the demo's missing page is the ingest error):
            // scrape until all are there; on timeout the message names those still missing
            Set<String> missing = new TreeSet<>(queried);
            Await.until(Duration.ofSeconds(60), () -> "every queried metric exposed by a running Vigil; missing: " + missing, () -> {
                missing.clear();
                Set<String> exposed = exposed(scrape(process.opsPort()));
                queried.stream().filter(m -> !exposed.contains(m)).forEach(missing::add);
                return missing.isEmpty();
            });
        }
    }

    private static String scrape(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("scraping /metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping /metrics", e);
        }
    }

    /** Names of every sample in a Prometheus text exposition. */
    static Set<String> exposed(String text) {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.length();
            for (char c : new char[] {'{', ' '}) {
                int i = line.indexOf(c);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            out.add(line.substring(0, end));
        }
        return out;
    }

    static Set<String> dashboardMetrics(JsonNode dashboard) {
        Set<String> out = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.addAll(metricsIn(target.path("expr").asText()));
            }
        }
        // the template variables' queries and the annotations' expressions query metrics too
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            out.addAll(metricsIn(variable.path("definition").asText()));
            out.addAll(metricsIn(variable.path("query").path("query").asText()));
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            out.addAll(metricsIn(annotation.path("expr").asText()));
        }
        return out;
    }

    static Set<String> metricsIn(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(QUOTED.matcher(promql).replaceAll("\"\""));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
