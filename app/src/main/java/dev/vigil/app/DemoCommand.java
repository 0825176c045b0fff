package dev.vigil.app;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.app.demo.DemoScenario;
import dev.vigil.app.demo.DemoServer;
import dev.vigil.model.Alert;
import dev.vigil.model.TopicName;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.StreamsService;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.AlertingPolicy;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: the whole pipeline on a bundled offline scenario. A loopback server plays
 * the scenario's outlets, publishing stories as an accelerated clock passes them; ingest polls
 * them, streams scores the venezuela topic, and alerts print as the escalation unfolds and, once
 * the stories have left the scoring window, resolves. The story begins when the pipeline is ready
 * (every feed read once, streams processing). The bundled rule pack's window and the routing's
 * repeat interval run on the scenario clock: the window's 24 hours last 48 s at the default pace.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Vigil on a bundled offline news scenario (no network needed) and print alerts as they fire and resolve.",
        footerHeading = "%nExamples:%n",
        footer = {"  vigil demo                                  # watch the escalation unfold and subside; Ctrl-C to stop",
                "  vigil demo --until-alert --timeout 180s     # exit 0 once the first venezuela alert is printed",
                "  vigil demo --until-resolved                 # exit 0 once the venezuela alert has resolved"})
final class DemoCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);
    static final TopicName WATCHED = new TopicName("venezuela");
    /** How often, on the scenario clock, the window slides forward without news. */
    private static final Duration SLIDE_EVERY = Duration.ofMinutes(15);

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

    @Option(names = "--until-alert", description = "Exit 0 as soon as the first venezuela alert has been printed (with --no-console: delivered); non-zero if none came within --timeout.")
    boolean untilAlert;

    @Option(names = "--until-resolved", description = "Exit 0 once the venezuela alert has resolved (the end of the scenario's story) and that alert has been printed (with --no-console: delivered); non-zero if it did not within --timeout.")
    boolean untilResolved;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s", converter = CommonOptions.DurationConverter.class,
            description = "With --until-alert or --until-resolved: how long to wait from launch (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--pace", paramLabel = "DURATION", defaultValue = "2s", converter = CommonOptions.DurationConverter.class,
            description = "Real time per hour of the scenario's clock (default: ${DEFAULT-VALUE}).")
    Duration pace;

    @Override
    public Integer call() throws Exception {
        if (untilAlert && untilResolved) {
            throw new ParameterException(spec.commandLine(), "--until-alert and --until-resolved: choose one");
        }
        Instant launched = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        Instant deadline = Instant.now().plus(timeout);
        DemoScenario scenario = DemoScenario.load();
        var routing = receivers.routing(spec);
        var apiToken = receivers.apiToken(spec);
        double speed = 3600.0 / Math.max(1, pace.toMillis()) * 1000;
        boolean console = routing.receivers().stream().anyMatch(Receiver.Console.class::isInstance);
        Awaited firstAlert = new Awaited(console);
        Awaited resolved = new Awaited(console);

        try (VigilProcess process = new VigilProcess("all")) {
            Path dir = data.dir().resolve("demo");
            // before the wipe: a second demo on this data directory must not delete the first one's broker under it
            process.add(DataDirLock.acquire(dir, data.dir().resolve("demo.lock")));
            // a demo starts from nothing: yesterday's state would already know the topic is elevated
            deleteRecursively(dir);
            KafkaConnection bootstrap = kafka.connectionOr(() -> process.startBroker(dir.resolve("kafka"), 0).bootstrapServers());
            process.connect(bootstrap, kafka.createTopics(), EnumSet.allOf(ClusterAccess.Service.class), null, "127.0.0.1", httpPort);

            DemoServer server = process.add(DemoServer.waiting(scenario, speed, Clock.systemUTC(), item -> log.info("demo: +{}h {}: {}",
                    String.format(java.util.Locale.ROOT, "%04.1f", item.at().toMinutes() / 60.0), scenario.outlets().get(item.outlet()).name(), dev.vigil.model.LogText.of(item.title()))));
            // the bundled pack's window and minimum duration, in scenario hours: stories are dated in real time as they are released
            RuleSet pack = RulesLoader.loadDefault();
            AlertingPolicy policy = pack.alerting();
            RuleSet rules = pack.withAlerting(new AlertingPolicy(server.scenarioToReal(policy.window()), policy.thresholds(), policy.hysteresis(),
                    server.scenarioToReal(policy.minDuration())));
            // like its feeds, the demo's receivers may reach exactly 127.0.0.1 (a --webhook on this machine); the repeat
            // interval is in scenario hours too, so a receiver hears the story come down as it heard it go up
            routing = routing.withEgressAllow(java.util.List.of(dev.vigil.model.net.Cidr.parse("127.0.0.1/32")))
                    .withRepeatInterval(server.scenarioToReal(routing.repeatInterval()));
            Duration slide = max(server.scenarioToReal(SLIDE_EVERY), Duration.ofMillis(100));

            // unique ids, so a demo against a shared cluster starts fresh rather than resuming an old one
            String run = "vigil-demo-" + System.currentTimeMillis();
            StreamsService streams = process.startStreams(new StreamsSettings(bootstrap, run, dir.resolve("streams"), slide, Map.of()), rules);
            process.startAlerts(AlertsSettings.of(bootstrap, routing).withApiToken(apiToken).withGroupId(run + "-alerts"), printingTo(spec.commandLine().getOut()), (receiver, alert) -> {
                if (alert.data().topic().equals(WATCHED)) {
                    firstAlert.delivered(receiver, alert);
                    if (alert.data().transition() == Alert.Transition.RESOLVED) {
                        resolved.delivered(receiver, alert);
                    }
                }
            });

            ScheduledExecutorService narrator = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vigil-demo-narrator");
                t.setDaemon(true);
                return t;
            });
            process.add(narrator::shutdownNow);
            var ingest = process.startIngest(DemoServer.ingestSettings(bootstrap, server.feeds(Duration.ofSeconds(1))));
            process.startStatusPage(bootstrap, rules.alerting().thresholds(), ingest::feedStates);
            awaitPipeline(process, streams, server, deadline);
            server.begin();
            narrator.scheduleAtFixedRate(server::announceReleases, 0, 250, TimeUnit.MILLISECONDS);
            log.info("demo: {} outlets on {}, {} stories over {} scenario hours, one hour every {} ms; the {} h scoring window lasts {} s",
                    scenario.outlets().size(), server.baseUri(), scenario.items().size(), scenario.span().toHours(), pace.toMillis(),
                    policy.window().toHours(), server.scenarioToReal(policy.window()).toSeconds());

            if (!untilAlert && !untilResolved) {
                process.awaitShutdown();
                return 0;
            }
            Awaited awaited = untilAlert ? firstAlert : resolved;
            Alert alert = awaited.await(deadline);
            if (alert == null) {
                ReceiverName other = awaited.deliveredElsewhere();
                if (other == null) {
                    spec.commandLine().getErr().printf("vigil demo: no %s alert was %s within %ds; the log above shows what ingest and streams did%n",
                            WATCHED, untilAlert ? "delivered" : "resolved", timeout.toSeconds());
                } else {
                    spec.commandLine().getErr().printf("vigil demo: %s %s alert was delivered to %s, but the console had not printed it within %ds;"
                            + " the log above shows the console receiver's attempts%n", untilAlert ? "a" : "the resolved", WATCHED, other, timeout.toSeconds());
                }
                return Vigil.EXIT_FAILED;
            }
            Duration took = Duration.between(launched, Instant.now());
            if (untilAlert) {
                spec.commandLine().getErr().printf("vigil demo: first %s alert (%s) delivered %.1f s after launch%n",
                        WATCHED, alert.data().level().wireName(), took.toMillis() / 1000.0);
            } else {
                spec.commandLine().getErr().printf("vigil demo: the %s alert resolved %.1f s after launch%n", WATCHED, took.toMillis() / 1000.0);
            }
            return 0;
        }
    }

    /**
     * Waits until every service is ready, streams processes and ingest has read every feed once,
     * so the story's first hours do not pile up in one poll (which could skip a level); past the
     * deadline the story begins anyway and the log says why.
     */
    private static void awaitPipeline(VigilProcess process, StreamsService streams, DemoServer server, Instant deadline) throws InterruptedException {
        while (!(streams.isProcessing() && server.everyFeedPolled() && !process.health().check().containsValue(false))) {
            if (Instant.now().isAfter(deadline)) {
                log.warn("demo: the pipeline is not ready yet ({}, every feed read: {}); the story begins anyway",
                        process.health().check(), server.everyFeedPolled());
                return;
            }
            Thread.sleep(100);
        }
    }

    /**
     * An alert {@code --until-alert} or {@code --until-resolved} waits for, seen where the reader
     * sees it: printed on the console when the routing has one, else delivered to any receiver. Each
     * receiver has its own lane, so a webhook may take an alert before the console has printed it;
     * ending then would close the console's lane before it prints what the command said it saw.
     */
    private static final class Awaited {
        private final boolean onConsole;
        private final CountDownLatch seen = new CountDownLatch(1);
        private final AtomicReference<Alert> alert = new AtomicReference<>();
        private final AtomicReference<ReceiverName> elsewhere = new AtomicReference<>();

        Awaited(boolean onConsole) {
            this.onConsole = onConsole;
        }

        /** Called on a receiver's lane after it delivered {@code a}. */
        void delivered(Receiver receiver, Alert a) {
            if (onConsole && !(receiver instanceof Receiver.Console)) {
                elsewhere.compareAndSet(null, receiver.name());
            } else if (alert.compareAndSet(null, a)) {
                seen.countDown();
            }
        }

        /** The first such alert seen, or null if none was by {@code deadline}. */
        Alert await(Instant deadline) throws InterruptedException {
            seen.await(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
            return alert.get();
        }

        /** The first receiver other than the console that had such an alert, or null. */
        ReceiverName deliveredElsewhere() {
            return elsewhere.get();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The command's standard output as the stream the console receiver prints alerts on (a test reads it from a writer). */
    private static PrintStream printingTo(PrintWriter out) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                pending.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                pending.write(b, off, len);
            }

            @Override
            public synchronized void flush() {
                out.write(pending.toString(StandardCharsets.UTF_8));
                out.flush();
                pending.reset();
            }
        }, true, StandardCharsets.UTF_8);
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
