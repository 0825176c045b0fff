package dev.vigil.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM,
 * with its data in a directory of ours. Used by {@code vigil run} and {@code vigil demo} when no
 * {@code --bootstrap-servers} is given, and by the integration tests.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of("data/kafka"), 9092)) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CLUSTER_ID_FILE = "vigil-cluster-id";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /**
     * Formats {@code dataDir} on first use (the same directory keeps its topics across restarts)
     * and starts the broker.
     *
     * @param port the client port on 127.0.0.1, or 0 for any free port
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, List.of(), Map.of());
    }

    /**
     * A broker with more listeners and settings over the defaults, as the secured-cluster tests
     * need: each listener is {@code PROTOCOL://127.0.0.1:PORT}, named after its security
     * protocol; the PLAINTEXT listener stays the one {@link #bootstrapServers()} names, and the
     * broker and controller talk over it.
     */
    static EmbeddedKafka start(Path dataDir, int port, List<String> listeners, Map<String, String> overrides) {
        guardExit();
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            String logDir = dataDir.resolve("log").toAbsolutePath().toString();
            String clusterId = clusterId(dataDir);
            Properties props = properties(logDir, brokerPort, controllerPort, 1, 1);
            for (String listener : listeners) {
                String name = listener.substring(0, listener.indexOf(':'));
                props.put("listeners", props.get("listeners") + "," + listener);
                props.put("advertised.listeners", props.get("advertised.listeners") + "," + listener);
                props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + "," + name + ":" + name);
            }
            props.putAll(overrides);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(logDir, clusterId, NODE_ID);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            Instant started = Instant.now();
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            awaitReady(bootstrap, Duration.ofSeconds(60));
            log.info("kafka: embedded broker ready at {} in {} ms (data in {})", bootstrap, Duration.between(started, Instant.now()).toMillis(), dataDir);
            return new EmbeddedKafka(server, bootstrap, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * A node's configuration: {@code replicas} copies of every topic created with the cluster's
     * defaults (Kafka's offsets and transaction logs included), {@code minInSync} of them in sync
     * for a write to succeed. One and one here; {@code BrokerCluster} (tests) runs three nodes with 3 and 2.
     */
    static Properties properties(String logDir, int brokerPort, int controllerPort, int replicas, int minInSync) {
        String r = String.valueOf(replicas);
        String m = String.valueOf(minInSync);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir);
        p.put("num.partitions", "3");
        p.put("default.replication.factor", r);
        p.put("min.insync.replicas", m);
        p.put("offsets.topic.replication.factor", r);
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", r);
        p.put("transaction.state.log.min.isr", m);
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", r);
        p.put("share.coordinator.state.topic.min.isr", m);
        p.put("group.initial.rebalance.delay.ms", "0");
        // the cleaner's default 128 MiB buffer is sized for a production broker, not a laptop
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /** Formats a node's storage unless it is formatted already; a cluster's nodes share {@code clusterId}. */
    static void format(String logDir, String clusterId, int nodeId) {
        if (Files.exists(Path.of(logDir, "meta.properties"))) {
            return;
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try {
            new Formatter()
                    .setPrintStream(quiet)
                    .setClusterId(clusterId)
                    .setNodeId(nodeId)
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }

    private static void awaitReady(String bootstrap, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    Set<String> names = admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    log.debug("kafka: broker answers, {} topics", names.size());
                    return;
                } catch (Exception e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("embedded Kafka did not become ready within " + timeout.toSeconds() + "s: " + e, e);
                    }
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for Kafka", e);
                    }
                }
            }
        }
    }

    /**
     * Kafka calls {@code Exit.halt} on some fatal storage errors; inside our JVM that would kill
     * every service and skip shutdown. Turn those into a logged error instead.
     */
    private static void guardExit() {
        Exit.setExitProcedure((code, message) -> log.error("kafka: broker asked to exit with status {}: {}", code, message));
        Exit.setHaltProcedure((code, message) -> log.error("kafka: broker asked to halt with status {}: {}", code, message));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        log.info("kafka: embedded broker stopped");
    }
}
