package dev.vigil.app;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Alert;
import dev.vigil.model.TopicName;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RulesLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: the whole pipeline on a bundled offline scenario. A loopback server plays
 * the scenario's outlets, publishing stories as an accelerated clock passes them; ingest polls
 * them, streams scores the venezuela topic, and alerts print as the escalation unfolds.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Vigil on a bundled offline news scenario (no network needed) and print alerts as they fire.",
        footerHeading = "%nExamples:%n",
        footer = {"  vigil demo                                  # watch the escalation unfold; Ctrl-C to stop",
                "  vigil demo --until-alert --timeout 180s     # exit 0 once the first venezuela alert is delivered"})
final class DemoCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);
    static final TopicName WATCHED = new TopicName("venezuela");

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.Kafka kafka;

    @Mixin
    CommonOptions.Data data;

    @Mixin
    CommonOptions.Receivers receivers;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port for /metrics and /health (default: any free port; -1 turns it off).")
    int httpPort;

    @Option(names = "--until-alert", description = "Exit 0 as soon as the first venezuela alert has been delivered; non-zero if none came within --timeout.")
    boolean untilAlert;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s", converter = CommonOptions.DurationConverter.class,
            description = "With --until-alert: how long to wait for the first alert (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--pace", paramLabel = "DURATION", defaultValue = "2s", converter = CommonOptions.DurationConverter.class,
            description = "Real time per hour of the scenario's clock (default: ${DEFAULT-VALUE}).")
    Duration pace;

    @Override
    public Integer call() throws Exception {
        Instant launched = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        DemoScenario scenario = DemoScenario.load();
        // like its feeds, the demo's receivers may reach exactly 127.0.0.1 (a --webhook on this machine)
        var routing = receivers.routing(spec).withEgressAllow(java.util.List.of(dev.vigil.model.net.Cidr.parse("127.0.0.1/32")));
        var apiToken = receivers.apiToken(spec);
        double speed = 3600.0 / Math.max(1, pace.toMillis()) * 1000;
        CountDownLatch firstAlert = new CountDownLatch(1);
        AtomicReference<Alert> first = new AtomicReference<>();

        try (VigilProcess process = new VigilProcess("all")) {
            Path dir = data.dir().resolve("demo");
            // before the wipe: a second demo on this data directory must not delete the first one's broker under it
            process.add(DataDirLock.acquire(dir, data.dir().resolve("demo.lock")));
            // a demo starts from nothing: yesterday's state would already know the topic is elevated
            deleteRecursively(dir);
            KafkaConnection bootstrap = kafka.connectionOr(() -> process.startBroker(dir.resolve("kafka"), 0).bootstrapServers());
            process.connect(bootstrap, kafka.createTopics(), EnumSet.allOf(ClusterAccess.Service.class), null, "127.0.0.1", httpPort);

            // unique ids, so a demo against a shared cluster starts fresh rather than resuming an old one
            String run = "vigil-demo-" + System.currentTimeMillis();
            process.startStreams(new StreamsSettings(bootstrap, run, dir.resolve("streams"), Duration.ofSeconds(10), Map.of()), RulesLoader.loadDefault());
            process.startAlerts(AlertsSettings.of(bootstrap, routing).withApiToken(apiToken).withGroupId(run + "-alerts"), System.out, alert -> {
                if (alert.data().topic().equals(WATCHED) && first.compareAndSet(null, alert)) {
                    firstAlert.countDown();
                }
            });

            DemoServer server = process.add(new DemoServer(scenario, speed, Clock.systemUTC(), item -> log.info("demo: +{}h {}: {}",
                    String.format(java.util.Locale.ROOT, "%04.1f", item.at().toMinutes() / 60.0), scenario.outlets().get(item.outlet()).name(), dev.vigil.model.LogText.of(item.title()))));
            ScheduledExecutorService narrator = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vigil-demo-narrator");
                t.setDaemon(true);
                return t;
            });
            process.add(narrator::shutdownNow);
            narrator.scheduleAtFixedRate(server::announceReleases, 0, 250, TimeUnit.MILLISECONDS);
            var ingest = process.startIngest(DemoServer.ingestSettings(bootstrap, server.feeds(Duration.ofSeconds(1))));
            process.startStatusPage(bootstrap, RulesLoader.loadDefault().alerting().thresholds(), ingest::feedStates);
            log.info("demo: {} outlets on {}, {} stories over {} scenario hours, one hour every {} ms",
                    scenario.outlets().size(), server.baseUri(), scenario.items().size(), scenario.span().toHours(), pace.toMillis());

            if (!untilAlert) {
                process.awaitShutdown();
                return 0;
            }
            if (!firstAlert.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                spec.commandLine().getErr().printf("vigil demo: no %s alert was delivered within %ds; the log above shows what ingest and streams did%n",
                        WATCHED, timeout.toSeconds());
                return Vigil.EXIT_FAILED;
            }
            Duration took = Duration.between(launched, Instant.now());
            spec.commandLine().getErr().printf("vigil demo: first %s alert (%s) delivered %.1f s after launch%n",
                    WATCHED, first.get().data().level().wireName(), took.toMillis() / 1000.0);
            return 0;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
