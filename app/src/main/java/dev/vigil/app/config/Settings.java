package dev.vigil.app.config;

import dev.vigil.alerts.receiver.Secret;
import dev.vigil.model.Topic;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.InvalidConfigException;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Every setting a command needs, resolved in one place, in this order: the command-line flag,
 * then the environment variable ({@code VIGIL_…}, what a container sets), then {@code vigil.yaml},
 * then the default. Each value says where it came from, so {@code vigil config check} can show it.
 * An environment variable set to nothing counts as not set (compose files write
 * {@code ${VIGIL_ROUTING:-}}).
 *
 * <pre>{@code
 * Settings settings = Settings.load(null, System.getenv());
 * Setting<Integer> port = settings.httpPort(null);    // e.g. 8080 from "env VIGIL_HTTP_PORT"
 * }</pre>
 */
public final class Settings {

    /** A value and where it came from: {@code --flag}, {@code env NAME}, {@code vigil.yaml:3:5} or {@code default}. */
    public record Setting<T>(T value, String from) {
        public Setting {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(from, "from");
        }
    }

    public static final String CONFIG = "VIGIL_CONFIG";
    public static final String BOOTSTRAP_SERVERS = "VIGIL_BOOTSTRAP_SERVERS";
    public static final String KAFKA_CONFIG = "VIGIL_KAFKA_CONFIG";
    public static final String CREATE_TOPICS = "VIGIL_CREATE_TOPICS";
    public static final String ID_PREFIX = "VIGIL_ID_PREFIX";
    public static final String TOPIC_PREFIX = "VIGIL_TOPIC_PREFIX";
    public static final String KAFKA_PORT = "VIGIL_KAFKA_PORT";
    public static final String DATA_DIR = "VIGIL_DATA_DIR";
    public static final String HTTP_PORT = "VIGIL_HTTP_PORT";
    public static final String HTTP_BIND = "VIGIL_HTTP_BIND";
    public static final String FEEDS = "VIGIL_FEEDS";
    public static final String RULES = "VIGIL_RULES";
    public static final String ROUTING = "VIGIL_ROUTING";
    public static final String WEBHOOKS = "VIGIL_WEBHOOKS";
    public static final String API_TOKEN = "VIGIL_API_TOKEN";
    public static final String API_TOKEN_FILE = "VIGIL_API_TOKEN_FILE";
    public static final String INSTANCE_ID = "VIGIL_INSTANCE_ID";
    public static final String URL = "VIGIL_URL";

    /** Every variable Vigil reads, for the documentation and {@code vigil config check}. */
    public static final List<String> VARIABLES = List.of(CONFIG, BOOTSTRAP_SERVERS, KAFKA_CONFIG, CREATE_TOPICS, ID_PREFIX, TOPIC_PREFIX, KAFKA_PORT, DATA_DIR, HTTP_PORT, HTTP_BIND, FEEDS, RULES,
            ROUTING, WEBHOOKS, API_TOKEN, API_TOKEN_FILE, INSTANCE_ID, URL);

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_HTTP_BIND = "127.0.0.1";
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    /** The longest id prefix: the groups, the application id and the Streams internal topic names it starts stay short. */
    static final int MAX_ID_PREFIX = 100;

    private final Map<String, String> env;
    private final Optional<VigilConfig> file;

    private Settings(Map<String, String> env, Optional<VigilConfig> file) {
        this.env = Map.copyOf(env);
        this.file = file;
    }

    /**
     * Reads {@code vigil.yaml}: {@code configFlag} if given, else {@code VIGIL_CONFIG}, else
     * {@code ./vigil.yaml} if it exists; none at all is fine (flags, environment and defaults).
     */
    public static Settings load(Path configFlag, Map<String, String> env) {
        Function<String, String> lookup = name -> blankToNull(env.get(name));
        Path named = configFlag != null ? configFlag : Optional.ofNullable(lookup.apply(CONFIG)).map(Path::of).orElse(null);
        if (named == null && Files.isRegularFile(Path.of(VigilConfig.DEFAULT_FILE))) {
            named = Path.of(VigilConfig.DEFAULT_FILE);
        }
        return new Settings(env, named == null ? Optional.empty() : Optional.of(VigilConfig.load(named, lookup)));
    }

    /** Settings without a file, for commands that need only flags and the environment. */
    public static Settings of(Map<String, String> env) {
        return new Settings(env, Optional.empty());
    }

    public Optional<VigilConfig> file() {
        return file;
    }

    /** An environment variable, {@code null} when unset or blank. */
    public String env(String name) {
        return blankToNull(env.get(name));
    }

    /** The environment as a lookup, for loaders that resolve {@code {env: NAME}}. */
    public Function<String, String> envLookup() {
        return this::env;
    }

    public Optional<Setting<String>> bootstrapServers(String flag) {
        return first(flag == null || flag.isBlank() ? null : flag.strip(), "--bootstrap-servers", BOOTSTRAP_SERVERS, Function.identity(),
                file.flatMap(VigilConfig::bootstrapServers), "kafka.bootstrap-servers");
    }

    /** The Kafka client properties file ({@code --kafka-config}, else {@code VIGIL_KAFKA_CONFIG}), if any. */
    public Optional<Setting<Path>> kafkaConfig(Path flag) {
        return first(flag, "--kafka-config", KAFKA_CONFIG, Path::of, Optional.empty(), "");
    }

    /**
     * How to reach Kafka, if a cluster is named anywhere: the bootstrap servers
     * ({@link #bootstrapServers}, else {@code bootstrap.servers} in the client properties file, as
     * a cloud provider's downloaded {@code client.properties} has it) and the client properties:
     * vigil.yaml's {@code kafka.properties}, then the properties file over them; and the topic
     * prefix ({@link #topicPrefix}).
     */
    public Optional<KafkaConnection> kafka(String bootstrapFlag, Path configFlag, String topicPrefixFlag) {
        Map<String, String> properties = kafkaProperties(configFlag);
        String fromFile = properties.remove("bootstrap.servers");
        Optional<String> bootstrap = bootstrapServers(bootstrapFlag).map(Setting::value).or(() -> Optional.ofNullable(blankToNull(fromFile)));
        return bootstrap.map(b -> new KafkaConnection(b.strip(), properties, topicPrefix(topicPrefixFlag).value()));
    }

    /** The Kafka client properties: vigil.yaml's {@code kafka.properties}, then the properties file over them, key by key. */
    public Map<String, String> kafkaProperties(Path configFlag) {
        Map<String, String> properties = new LinkedHashMap<>(file.map(VigilConfig::kafkaProperties).orElse(Map.of()));
        kafkaConfig(configFlag).ifPresent(f -> properties.putAll(readProperties(f)));
        return properties;
    }

    /** {@code --create-topics}, {@code VIGIL_CREATE_TOPICS}, {@code kafka.create-topics}: create missing topics (default) or only verify them. */
    public Setting<Boolean> createTopics(Boolean flag) {
        return first(flag, "--create-topics", CREATE_TOPICS, Settings::bool, file.flatMap(VigilConfig::createTopics), "kafka.create-topics")
                .orElse(new Setting<>(true, "default"));
    }

    /**
     * {@code --id-prefix}, {@code VIGIL_ID_PREFIX}, {@code kafka.id-prefix}: what the consumer
     * groups and the Streams application id start with, {@code default} if none is given.
     */
    public Setting<String> idPrefix(String flag, String fallback) {
        if (flag != null) {
            idPrefixProblem(flag).ifPresent(problem -> {
                throw invalid("--id-prefix", problem);
            });
        }
        return first(flag, "--id-prefix", ID_PREFIX, Settings::idPrefix, file.flatMap(VigilConfig::idPrefix), "kafka.id-prefix")
                .orElse(new Setting<>(fallback, "default"));
    }

    /**
     * {@code --topic-prefix}, {@code VIGIL_TOPIC_PREFIX}, {@code kafka.topic-prefix}: put before
     * every Vigil topic name on the cluster ({@code staging.} gives {@code staging.vigil.articles});
     * empty by default.
     */
    public Setting<String> topicPrefix(String flag) {
        if (flag != null) {
            topicPrefixProblem(flag).ifPresent(problem -> {
                throw invalid("--topic-prefix", problem);
            });
        }
        return first(flag, "--topic-prefix", TOPIC_PREFIX, Settings::checkedTopicPrefix, file.flatMap(VigilConfig::topicPrefix), "kafka.topic-prefix")
                .orElse(new Setting<>("", "default"));
    }

    private static String checkedTopicPrefix(String text) {
        topicPrefixProblem(text).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return text;
    }

    /** What is wrong with a topic prefix, if anything ({@link KafkaConnection#checkTopicPrefix}). */
    static Optional<String> topicPrefixProblem(String text) {
        try {
            KafkaConnection.checkTopicPrefix(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage().replaceFirst("^topic-prefix: ", ""));
        }
    }

    private static String idPrefix(String text) {
        idPrefixProblem(text).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return text;
    }

    /**
     * What is wrong with a group / application id prefix, if anything: Kafka's topic-name rule ({@link Topic#nameProblem}), as
     * the application id starts the names of Streams' internal topics, and at most 100 characters so those names stay short.
     */
    static Optional<String> idPrefixProblem(String text) {
        return Topic.nameProblem(text, MAX_ID_PREFIX);
    }

    private static Map<String, String> readProperties(Setting<Path> f) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(f.value(), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem(f.value().toString(), 0, 0, f.from(),
                    "cannot read the Kafka client properties: " + e.getClass().getSimpleName())));
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k).strip()));
        return out;
    }

    public Setting<Integer> kafkaPort(Integer flag) {
        return first(flag, "--kafka-port", KAFKA_PORT, Settings::port, file.flatMap(VigilConfig::embeddedPort), "kafka.embedded-port")
                .orElse(new Setting<>(DEFAULT_KAFKA_PORT, "default"));
    }

    public Setting<Path> dataDir(Path flag) {
        return first(flag, "--data-dir", DATA_DIR, Path::of, file.flatMap(VigilConfig::dataDir), "data-dir")
                .orElse(new Setting<>(DEFAULT_DATA_DIR, "default"));
    }

    public Setting<Integer> httpPort(Integer flag) {
        return first(flag, "--http-port", HTTP_PORT, Settings::port, file.flatMap(VigilConfig::httpPort), "http.port")
                .orElse(new Setting<>(DEFAULT_HTTP_PORT, "default"));
    }

    public Setting<String> httpBind(String flag) {
        return first(flag, "--http-bind", HTTP_BIND, Function.identity(), file.flatMap(VigilConfig::httpBind), "http.bind")
                .orElse(new Setting<>(DEFAULT_HTTP_BIND, "default"));
    }

    public Optional<Setting<Path>> feeds(Path flag) {
        return first(flag, "--feeds", FEEDS, Path::of, file.flatMap(VigilConfig::feeds), "feeds");
    }

    public Optional<Setting<Path>> rules(Path flag) {
        return first(flag, "--rules", RULES, Path::of, file.flatMap(VigilConfig::rules), "rules");
    }

    public Optional<Setting<Path>> routing(Path flag) {
        return first(flag, "--routing", ROUTING, Path::of, file.flatMap(VigilConfig::routing), "routing");
    }

    public Optional<Setting<String>> instanceId(String flag) {
        return first(flag, "--instance-id", INSTANCE_ID, Function.identity(), file.flatMap(VigilConfig::instanceId), "instance-id");
    }

    /** Webhook URLs for every alert: the flags, else {@code VIGIL_WEBHOOKS} (comma-separated). They are never in vigil.yaml: they may hold a token. */
    public List<String> webhooks(List<String> flags) {
        if (flags != null && !flags.isEmpty()) {
            return List.copyOf(flags);
        }
        String v = env(WEBHOOKS);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Kafka Streams properties: vigil.yaml's {@code kafka.streams}, then each flag over them. */
    public Map<String, String> streamsProperties(Map<String, String> flags) {
        Map<String, String> out = new LinkedHashMap<>(file.map(VigilConfig::streamsProperties).orElse(Map.of()));
        if (flags != null) {
            out.putAll(flags);
        }
        return out;
    }

    /**
     * The bearer token for changing silences over HTTP: {@code --api-token-file}, else
     * {@code VIGIL_API_TOKEN_FILE}, else {@code VIGIL_API_TOKEN}, else {@code http.api-token}.
     */
    public Optional<Secret> apiToken(Path fileFlag) {
        List<ConfigProblem> problems = new ArrayList<>();
        Path tokenFile = fileFlag != null ? fileFlag : Optional.ofNullable(env(API_TOKEN_FILE)).map(Path::of).orElse(null);
        String what = fileFlag != null ? "--api-token-file" : API_TOKEN_FILE;
        Optional<Secret> token;
        if (tokenFile != null) {
            try {
                token = Optional.of(new Secret(Files.readString(tokenFile, StandardCharsets.UTF_8).strip(), "file " + tokenFile));
            } catch (IOException | InvalidPathException e) {
                throw invalid(what, "cannot read " + tokenFile + ": " + e.getClass().getSimpleName());
            }
        } else if (env(API_TOKEN) != null) {
            what = API_TOKEN;
            token = Optional.of(new Secret(env(API_TOKEN), "env " + API_TOKEN));
        } else {
            return file.flatMap(VigilConfig::apiToken);
        }
        if (token.get().reveal().length() < 16) {
            problems.add(new ConfigProblem(source(what), 0, 0, what, "expected a token of at least 16 characters"));
            throw new InvalidConfigException(problems);
        }
        return token;
    }

    private <T> Optional<Setting<T>> first(T flag, String flagName, String variable, Function<String, T> parse, Optional<T> inFile, String key) {
        if (flag != null) {
            return Optional.of(new Setting<>(flag, flagName));
        }
        String v = env(variable);
        if (v != null) {
            try {
                return Optional.of(new Setting<>(parse.apply(v.strip()), "env " + variable));
            } catch (IllegalArgumentException e) {
                throw invalid(variable, e.getMessage());
            }
        }
        return inFile.map(value -> new Setting<>(value, file.get().where().getOrDefault(key, file.get().file().toString())));
    }

    private static InvalidConfigException invalid(String variable, String message) {
        return new InvalidConfigException(List.of(new ConfigProblem(source(variable), 0, 0, variable, message)));
    }

    private static String source(String what) {
        return what.startsWith("--") ? "command line" : "environment";
    }

    private static Integer port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= -1 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value found
        }
        throw new IllegalArgumentException("expected a port from 0 to 65535 (or -1 for none), found '" + text + "'");
    }

    private static Boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, found '" + text + "'");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
