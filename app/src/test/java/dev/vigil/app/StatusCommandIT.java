package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.Routing;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Alert;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil status} against a running pipeline on the demo scenario: one screen with topics, feeds, throughput and alerts. */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StatusCommandIT {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run status(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    void statusShowsTopicsFeedsThroughputAndTheLastAlertsOfARunningInstance() throws Exception {
        List<Alert> delivered = new CopyOnWriteArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0); VigilProcess process = new VigilProcess("all")) {
            String bootstrap = kafka.bootstrapServers();
            process.connect(bootstrap, "127.0.0.1", 0);
            var rules = RulesLoader.loadDefault();
            process.startStreams(new StreamsSettings(bootstrap, "status-cli-it", dir.resolve("streams"), Duration.ofSeconds(10), Map.of()), rules);
            Routing routing = Routing.empty().withCatchAll(new Receiver.Console(new ReceiverName("console")));
            process.startAlerts(AlertsSettings.of(bootstrap, routing).withGroupId("status-cli-it-alerts"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (r, alert) -> delivered.add(alert));
            DemoServer server = process.add(new DemoServer(DemoScenario.load(), 1800, Clock.systemUTC(), item -> { }));
            var ingest = process.startIngest(DemoServer.ingestSettings(bootstrap, server.feeds(Duration.ofSeconds(1))));
            process.startStatusPage(bootstrap, rules.alerting().thresholds(), ingest::feedStates);
            String url = "http://127.0.0.1:" + process.opsPort();

            Await.until(Duration.ofSeconds(150), "a venezuela alert delivered", () -> !delivered.isEmpty());
            // the board reads vigil.scores and the API its own reader of vigil.alerts: both follow the delivery, a moment apart
            Await.until(Duration.ofSeconds(30), "the instance ready, its board showing venezuela and its API the first alert", () -> {
                Run r = status(Map.of(), "--url", url, "--alerts", "3");
                return r.exit() == 0 && r.out().contains("venezuela") && r.out().contains(delivered.get(0).id());
            });

            Run r = status(Map.of("VIGIL_URL", url), "--alerts", "3");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("Vigil at " + url + ": ready (kafka ok", "Topics", "venezuela", "score", "stories from",
                    "Feeds polled here: 7 (", "Throughput:", "articles/s ingested", "Last alerts", delivered.get(0).id());
            assertThat(r.out()).containsPattern("venezuela +(ELEVATED|HIGH|CRITICAL) +score");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void statusOfNothingSaysSoAndFails() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run r = status(Map.of(), "--url", "http://127.0.0.1:" + closed);
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_FAILED);
        assertThat(r.err()).contains("no Vigil answers at http://127.0.0.1:" + closed, "connection refused", "is it running?");
    }
}
