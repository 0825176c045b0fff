package dev.vigil.app;

import dev.vigil.alerts.AlertsService;
import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.app.status.StatusBoard;
import dev.vigil.app.status.StatusPage;
import dev.vigil.ingest.IngestService;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.model.Alert;
import dev.vigil.model.FeedState;
import dev.vigil.model.Level;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.StreamsService;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.rules.RuleSet;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Vigil process: the metrics registry, the health checks, and whatever services a command
 * starts, shut down in reverse order from one hook on Ctrl-C or at the end of the command.
 */
final class VigilProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VigilProcess.class);

    private final Lifecycle lifecycle = new Lifecycle();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Health health = new Health();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;
    private OpsServer ops;

    /** @param service the {@code service} tag on every meter: all, ingest, streams or alerts */
    VigilProcess(String service) {
        registry.config().commonTags("service", service, "instance", hostname());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        hook = new Thread(() -> {
            log.info("shutting down");
            close();
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    Health health() {
        return health;
    }

    EmbeddedKafka startBroker(Path dataDir, int port) {
        return lifecycle.add(EmbeddedKafka.start(dataDir, port));
    }

    /** {@link #connect(KafkaConnection, boolean, Collection, String, String, int)} for every service on an open cluster (the embedded broker). */
    void connect(String bootstrapServers, String httpBind, int httpPort) {
        connect(KafkaConnection.to(bootstrapServers), true, EnumSet.allOf(ClusterAccess.Service.class), null, httpBind, httpPort);
    }

    /**
     * Prepares a process that works against Kafka: creates missing topics (or, without
     * {@code createTopics}, verifies they exist), checks the cluster lets {@code services} read
     * and write what they need and use their consumer groups under {@code idPrefix} (null: not
     * checked, for groups of their own such as the demo's), watches Kafka for the readiness check, and serves metrics and
     * health. Fails with one line naming the problem when Kafka refuses.
     */
    void connect(KafkaConnection kafka, boolean createTopics, Collection<ClusterAccess.Service> services, String idPrefix, String httpBind, int httpPort) {
        log.info("kafka: {} as {}", kafka.bootstrapServers(), kafka.principal());
        TopicAdmin.ensureTopics(kafka, createTopics, ClusterAccess.topics(services));
        ClusterAccess.verify(kafka, services, idPrefix);
        watchKafka(kafka);
        startOps(httpBind, httpPort);
    }

    /** Adds the "kafka" readiness check: the cluster answers within two seconds. */
    void watchKafka(KafkaConnection kafka) {
        Admin admin = lifecycle.add(Admin.create(kafka.admin()));
        health.add("kafka", () -> {
            try {
                return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        });
    }

    OpsServer startOps(String bind, int port) {
        if (port < 0) {
            return null;
        }
        try {
            ops = lifecycle.add(new OpsServer(new InetSocketAddress(bind, port), registry, health));
            return ops;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics and health on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** {@link #startStatusPage(KafkaConnection, Map, Supplier)} on an open cluster (the embedded broker). */
    void startStatusPage(String bootstrapServers, Map<Level, Double> thresholds, Supplier<List<FeedState>> feeds) {
        startStatusPage(KafkaConnection.to(bootstrapServers), thresholds, feeds);
    }

    /**
     * Serves the status page at {@code /} (run and demo): scores from {@code vigil.scores}, feed
     * health from {@code feeds}, throughput from this process's meters.
     */
    void startStatusPage(KafkaConnection kafka, Map<Level, Double> thresholds, Supplier<List<FeedState>> feeds) {
        if (ops == null) {
            return;
        }
        StatusBoard board = lifecycle.add(new StatusBoard(kafka, Duration.ofHours(24), thresholds, feeds, registry, Clock.systemUTC()));
        board.start();
        StatusPage page = new StatusPage(board);
        ops.mount(page.handlers(ops.streams()));
        ops.home(page.home());
    }

    IngestService startIngest(IngestSettings settings) {
        IngestService ingest = lifecycle.add(new IngestService(settings, registry, Clock.systemUTC()));
        ingest.start();
        health.add("ingest", ingest::isRunning);
        return ingest;
    }

    StreamsService startStreams(StreamsSettings settings, RuleSet rules) {
        StreamsService streams = lifecycle.add(new StreamsService(settings, rules, registry));
        streams.start();
        health.add("streams", streams::isRunning);
        health.add("rules", () -> !streams.rulesInForce().topics().isEmpty());
        return streams;
    }

    AlertsService startAlerts(AlertsSettings settings, PrintStream console, BiConsumer<Receiver, Alert> onDelivered) {
        AlertsService alerts = lifecycle.add(new AlertsService(settings, registry, console, onDelivered, Clock.systemUTC()));
        alerts.start();
        health.add("alerts", alerts::isRunning);
        if (ops != null) {
            ops.mount(alerts.api().handlers(ops.streams()));
        }
        return alerts;
    }

    /** The port of the metrics/health/status server, or -1 when it is off. */
    int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    <T extends AutoCloseable> T add(T resource) {
        return lifecycle.add(resource);
    }

    /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM). */
    void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        lifecycle.close();
        registry.close();
        stopped.countDown();
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs (or ran) close(), which is idempotent
            }
        }
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
