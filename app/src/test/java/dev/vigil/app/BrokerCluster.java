package dev.vigil.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of three KRaft nodes (broker and controller each, a three-voter quorum), each
 * its own process ({@code java -cp <test class path> kafka.Kafka server.properties}) on 127.0.0.1, so a
 * test can kill one with SIGKILL and start it again on its data. Replication factor 3 for every
 * topic the cluster creates by default (Vigil's and Streams' internal ones), {@code min.insync.replicas}
 * 2, for the offsets and transaction logs too.
 */
final class BrokerCluster implements AutoCloseable {

    static final int NODES = 3;
    static final int MIN_IN_SYNC = 2;

    private final Path dir;
    private final int[] brokerPorts = new int[NODES];
    private final int[] controllerPorts = new int[NODES];
    private final Process[] processes = new Process[NODES];
    private final int[] starts = new int[NODES];

    private BrokerCluster(Path dir) {
        this.dir = dir;
    }

    /** Formats three nodes' storage under {@code dir}, starts them, and waits until all three brokers are registered. */
    static BrokerCluster start(Path dir, Duration timeout) throws IOException {
        BrokerCluster cluster = new BrokerCluster(dir);
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < NODES; i++) {
            cluster.brokerPorts[i] = EmbeddedKafka.freePort();
            cluster.controllerPorts[i] = EmbeddedKafka.freePort();
        }
        try {
            for (int i = 0; i < NODES; i++) {
                int node = i + 1;
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + node));
                Properties p = cluster.properties(node, nodeDir.resolve("log").toString());
                try (OutputStream out = Files.newOutputStream(nodeDir.resolve("server.properties"))) {
                    p.store(out, "node " + node + " of a three-node test cluster");
                }
                EmbeddedKafka.format(p.getProperty("log.dirs"), clusterId, node);
            }
            for (int node = 1; node <= NODES; node++) {
                cluster.launch(node);
            }
            cluster.awaitBrokers(NODES, timeout);
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    private Properties properties(int node, String logDir) {
        Properties p = EmbeddedKafka.properties(logDir, brokerPorts[node - 1], controllerPorts[node - 1], NODES, MIN_IN_SYNC);
        p.put("node.id", String.valueOf(node));
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
        }
        p.put("controller.quorum.voters", String.join(",", voters));
        p.put("unclean.leader.election.enable", "false");
        // three brokers share two cores with the test: few threads each
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.replica.fetchers", "1");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        return p;
    }

    private void launch(int node) throws IOException {
        Path nodeDir = dir.resolve("node-" + node);
        Path log = nodeDir.resolve("broker-" + (++starts[node - 1]) + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka", nodeDir.resolve("server.properties").toString());
        processes[node - 1] = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** All three brokers' client listeners. */
    String bootstrapServers() {
        List<String> all = new ArrayList<>();
        for (int port : brokerPorts) {
            all.add("127.0.0.1:" + port);
        }
        return String.join(",", all);
    }

    /** SIGKILL: no controlled shutdown, no flush, no leadership handed over. */
    void kill(int node) throws InterruptedException {
        Process p = processes[node - 1];
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("broker " + node + " survived SIGKILL for 30 s");
        }
    }

    /** Starts a killed node again on its data and waits until it is registered. */
    void restart(int node, Duration timeout) throws IOException {
        if (processes[node - 1].isAlive()) {
            throw new IllegalStateException("broker " + node + " is still running");
        }
        launch(node);
        awaitBrokers(NODES, timeout);
    }

    private void awaitBrokers(int count, Duration timeout) {
        Await.until(timeout, () -> count + " brokers registered in the cluster at " + bootstrapServers() + " (logs under " + dir + ")",
                () -> admin(a -> a.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count, false));
    }

    /** The node that coordinates {@code groupId} (its consumer offsets' leader), or -1 while unknown. */
    int coordinatorOf(String groupId) {
        return admin(a -> a.describeConsumerGroups(List.of(groupId)).all().get(10, TimeUnit.SECONDS).get(groupId).coordinator().id(), -1);
    }

    /** How many partitions each node leads among {@code topics}, by node id. */
    Map<Integer, Long> leadersOf(Collection<String> topics) {
        return admin(a -> a.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream()).map(TopicPartitionInfo::leader)
                .filter(java.util.Objects::nonNull).collect(Collectors.groupingBy(Node::id, TreeMap::new, Collectors.counting())), Map.of());
    }

    /** Every topic's replication factor and its partitions' smallest in-sync replica count, by topic, Kafka's own included. */
    Map<String, String> replication() {
        return admin(a -> {
            Map<String, String> out = new TreeMap<>();
            for (TopicDescription d : everyTopic(a)) {
                int rf = d.partitions().get(0).replicas().size();
                int minIsr = d.partitions().stream().mapToInt(pi -> pi.isr().size()).min().orElse(0);
                out.put(d.name(), "rf=" + rf + " isr>=" + minIsr);
            }
            return out;
        }, Map.of());
    }

    /** True when every partition of every topic has all three replicas in sync. */
    boolean fullyReplicated() {
        return admin(a -> everyTopic(a).stream().flatMap(d -> d.partitions().stream()).allMatch(pi -> pi.isr().size() == NODES), false);
    }

    /** A topic's configuration value in force (its own or the broker's default), or null while the cluster cannot say. */
    String topicConfig(String topic, String key) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin(a -> a.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource).get(key).value(), null);
    }

    private static Collection<TopicDescription> everyTopic(Admin a) throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> names = a.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
        return a.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values();
    }

    private interface AdminCall<T> {
        T call(Admin admin) throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** One admin call; {@code otherwise} while the cluster cannot answer it (a test polls again). */
    private <T> T admin(AdminCall<T> call, T otherwise) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(p)) {
            return call.call(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return otherwise;
        } catch (ExecutionException | TimeoutException e) {
            return otherwise;
        }
    }

    /** SIGKILL for every node: the data is the test's and is thrown away. */
    @Override
    public void close() {
        for (Process p : processes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Process p : processes) {
            if (p == null) {
                continue;
            }
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
