package dev.vigil.app.config;

import dev.vigil.alerts.receiver.Secret;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblems;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code vigil.yaml}: one file that says where everything is, validated as a whole. Every key is
 * optional; an unknown key is an error, and so is a secret written in the file (the API token,
 * and any Kafka property {@link KafkaConnection#isSecret} says is one): those are
 * {@code {env: NAME}} or {@code {file: PATH}}. Paths are relative to this file's folder.
 *
 * <pre>{@code
 * kafka:
 *   bootstrap-servers: kafka-1:9092,kafka-2:9092   # leave out for the embedded broker (vigil run)
 *   embedded-port: 9092
 *   properties:                                  # every client: security protocol, SASL, TLS stores
 *     security.protocol: SASL_SSL
 *     sasl.mechanism: SCRAM-SHA-512
 *     sasl.jaas.config: {file: secrets/kafka-jaas}
 *   create-topics: false                         # verify Vigil's topics instead of creating them
 *   id-prefix: vigil-staging                     # groups vigil-staging-ingest, -streams, -alerts
 *   topic-prefix: staging.                       # topics staging.vigil.articles, ...
 *   streams: {num.stream.threads: 2}
 * data-dir: data
 * http: {port: 8080, bind: 0.0.0.0, api-token: {file: secrets/api-token}}
 * feeds: feeds.yaml
 * rules: rules.yaml
 * routing: routing.yaml
 * instance-id: vigil-1
 * }</pre>
 *
 * @param file              where it was read from
 * @param bootstrapServers  {@code kafka.bootstrap-servers}
 * @param embeddedPort      {@code kafka.embedded-port}: the embedded broker's client port
 * @param kafkaProperties   {@code kafka.properties}: client properties for every Kafka client, secrets resolved
 * @param createTopics      {@code kafka.create-topics}: create missing topics (true) or only verify them
 * @param idPrefix          {@code kafka.id-prefix}: what the consumer groups and the Streams application id start with
 * @param topicPrefix       {@code kafka.topic-prefix}: put before every Vigil topic name on the cluster
 * @param streamsProperties {@code kafka.streams}: Kafka Streams and client properties, secrets resolved
 * @param dataDir           {@code data-dir}
 * @param httpPort          {@code http.port}
 * @param httpBind          {@code http.bind}
 * @param apiToken          {@code http.api-token}
 * @param feeds             {@code feeds}: the feeds file
 * @param rules             {@code rules}: the rules file
 * @param routing           {@code routing}: the routing file
 * @param instanceId        {@code instance-id}
 * @param where             for each key given, its {@code file:line:column}, for messages about what it points to
 */
public record VigilConfig(Path file, Optional<String> bootstrapServers, Optional<Integer> embeddedPort, Map<String, String> kafkaProperties,
                          Optional<Boolean> createTopics, Optional<String> idPrefix, Optional<String> topicPrefix, Map<String, String> streamsProperties,
                          Optional<Path> dataDir, Optional<Integer> httpPort, Optional<String> httpBind, Optional<Secret> apiToken,
                          Optional<Path> feeds, Optional<Path> rules, Optional<Path> routing, Optional<String> instanceId,
                          Map<String, String> where) {

    /** The file {@code vigil} reads when none is named and it exists. */
    public static final String DEFAULT_FILE = "vigil.yaml";

    private static final Set<String> TOP = Set.of("kafka", "data-dir", "http", "feeds", "rules", "routing", "instance-id");
    private static final Set<String> KAFKA = Set.of("bootstrap-servers", "embedded-port", "properties", "create-topics", "id-prefix", "topic-prefix", "streams");
    private static final Set<String> HTTP = Set.of("port", "bind", "api-token");
    private static final Set<String> SECRET = Set.of("env", "file");

    public VigilConfig {
        Objects.requireNonNull(file, "file");
        kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaProperties));        // in file order
        streamsProperties = Collections.unmodifiableMap(new LinkedHashMap<>(streamsProperties));
        where = Map.copyOf(where);
    }

    /** Reads and validates a file; throws {@link dev.vigil.model.config.InvalidConfigException} listing every problem. */
    public static VigilConfig load(Path file, Function<String, String> env) {
        return new Reader(file.toAbsolutePath().getParent(), env).read(file, ConfigNode.load(file));
    }

    /** Parses text named {@code file} in messages; paths resolve against {@code dir}. */
    public static VigilConfig parse(Path file, String text, Path dir, Function<String, String> env) {
        return new Reader(dir, env).read(file, ConfigNode.parse(file.toString(), text));
    }

    private static final class Reader {
        private final Path dir;
        private final Function<String, String> env;
        private final ConfigProblems problems = new ConfigProblems();
        private final Map<String, String> where = new LinkedHashMap<>();

        Reader(Path dir, Function<String, String> env) {
            this.dir = dir;
            this.env = env;
        }

        VigilConfig read(Path file, ConfigNode root) {
            Map<String, ConfigNode> top = root.map(problems, TOP).orElse(Map.of());
            top.forEach((key, node) -> where.put(key, node.where()));
            Optional<String> bootstrap = Optional.empty();
            Optional<Integer> embeddedPort = Optional.empty();
            Map<String, String> clients = new LinkedHashMap<>();
            Optional<Boolean> createTopics = Optional.empty();
            Optional<String> idPrefix = Optional.empty();
            Optional<String> topicPrefix = Optional.empty();
            Map<String, String> streams = new LinkedHashMap<>();
            if (top.containsKey("kafka")) {
                Map<String, ConfigNode> k = top.get("kafka").map(problems, KAFKA).orElse(Map.of());
                k.forEach((key, node) -> where.put("kafka." + key, node.where()));
                bootstrap = k.containsKey("bootstrap-servers") ? k.get("bootstrap-servers").string(problems) : Optional.empty();
                embeddedPort = k.containsKey("embedded-port") ? port(k.get("embedded-port")) : Optional.empty();
                properties(k, "properties", clients);
                createTopics = k.containsKey("create-topics") ? k.get("create-topics").bool(problems) : Optional.empty();
                idPrefix = k.containsKey("id-prefix") ? k.get("id-prefix").string(problems) : Optional.empty();
                idPrefix.flatMap(Settings::idPrefixProblem).ifPresent(problem -> problems.add(k.get("id-prefix"), problem));
                topicPrefix = k.containsKey("topic-prefix") ? k.get("topic-prefix").string(problems) : Optional.empty();
                topicPrefix.flatMap(Settings::topicPrefixProblem).ifPresent(problem -> problems.add(k.get("topic-prefix"), problem));
                properties(k, "streams", streams);
            }
            Optional<Integer> httpPort = Optional.empty();
            Optional<String> httpBind = Optional.empty();
            Optional<Secret> apiToken = Optional.empty();
            if (top.containsKey("http")) {
                Map<String, ConfigNode> h = top.get("http").map(problems, HTTP).orElse(Map.of());
                h.forEach((key, node) -> where.put("http." + key, node.where()));
                httpPort = h.containsKey("port") ? port(h.get("port")) : Optional.empty();
                httpBind = h.containsKey("bind") ? h.get("bind").string(problems) : Optional.empty();
                if (h.containsKey("api-token")) {
                    apiToken = secret(h.get("api-token"));
                    apiToken.filter(t -> t.reveal().length() < 16).ifPresent(t -> {
                        problems.add(h.get("api-token"), "expected a token of at least 16 characters (" + t.origin() + ")");
                    });
                }
            }
            VigilConfig config = new VigilConfig(file, bootstrap, embeddedPort, clients, createTopics, idPrefix, topicPrefix, streams, path(top, "data-dir", false), httpPort, httpBind, apiToken,
                    path(top, "feeds", true), path(top, "rules", true), path(top, "routing", true),
                    top.containsKey("instance-id") ? top.get("instance-id").string(problems) : Optional.empty(), where);
            problems.throwIfAny();
            return config;
        }

        private Optional<Integer> port(ConfigNode node) {
            Optional<Integer> port = node.integer(problems);
            if (port.isPresent() && (port.get() < -1 || port.get() > 65_535)) {
                problems.add(node, "expected a port from 0 to 65535 (or -1 for none), found " + port.get());
                return Optional.empty();
            }
            return port;
        }

        /** A path relative to this file's folder; a file the file names must exist. */
        private Optional<Path> path(Map<String, ConfigNode> top, String key, boolean mustExist) {
            if (!top.containsKey(key)) {
                return Optional.empty();
            }
            ConfigNode node = top.get(key);
            return node.string(problems).flatMap(text -> {
                try {
                    Path p = dir == null ? Path.of(text) : dir.resolve(text).normalize();
                    if (mustExist && !Files.isRegularFile(p)) {
                        problems.add(node, "no such file: " + p);
                        return Optional.empty();
                    }
                    return Optional.of(p);
                } catch (InvalidPathException e) {
                    problems.add(node, "not a path: " + e.getMessage());
                    return Optional.empty();
                }
            });
        }

        private void properties(Map<String, ConfigNode> kafka, String key, Map<String, String> into) {
            if (kafka.containsKey(key)) {
                kafka.get(key).map(problems, Set.of()).orElse(Map.of()).forEach((name, node) -> {
                    if (name.equals("bootstrap.servers")) {
                        problems.add(node, "write it as kafka.bootstrap-servers");
                    } else {
                        property(name, node).ifPresent(v -> into.put(name, v));
                    }
                });
            }
        }

        /** A Kafka property: a plain value, or {env}/{file}; one whose name says it is a secret must be the latter. */
        private Optional<String> property(String name, ConfigNode node) {
            if (node.isMap()) {
                return secret(node).map(Secret::reveal);
            }
            if (KafkaConnection.isSecret(name)) {
                problems.add(node, "expected {env: NAME} or {file: PATH}: secrets are not written in vigil.yaml");
                return Optional.empty();
            }
            return node.string(problems);
        }

        private Optional<Secret> secret(ConfigNode node) {
            if (!node.isMap()) {
                problems.add(node, "expected {env: NAME} or {file: PATH}: secrets are not written in vigil.yaml");
                return Optional.empty();
            }
            Map<String, ConfigNode> m = node.map(problems, SECRET).orElse(Map.of());
            if (m.size() != 1) {
                problems.add(node, "expected exactly one of env or file");
                return Optional.empty();
            }
            if (m.containsKey("env")) {
                return m.get("env").string(problems).flatMap(name -> {
                    String value = env.apply(name);
                    if (value == null || value.isBlank()) {
                        problems.add(m.get("env"), "the environment variable " + name + " is not set");
                        return Optional.empty();
                    }
                    return Optional.of(new Secret(value.strip(), "env " + name));
                });
            }
            return m.get("file").string(problems).flatMap(text -> {
                Path p = dir == null ? Path.of(text) : dir.resolve(text);
                try {
                    String value = Files.readString(p, StandardCharsets.UTF_8).strip();
                    if (value.isEmpty()) {
                        problems.add(m.get("file"), "the file " + p + " is empty");
                        return Optional.empty();
                    }
                    return Optional.of(new Secret(value, "file " + p));
                } catch (IOException | InvalidPathException e) {
                    problems.add(m.get("file"), "cannot read " + p + ": " + e.getClass().getSimpleName());
                    return Optional.empty();
                }
            });
        }
    }
}
