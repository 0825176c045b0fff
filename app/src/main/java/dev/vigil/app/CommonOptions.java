package dev.vigil.app;

import dev.vigil.alerts.Routing;
import dev.vigil.alerts.RoutingFile;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.app.config.Settings;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.model.HttpUrl;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.net.Cidr;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options shared by several commands. A flag wins over its environment variable, which wins over
 * {@code vigil.yaml}, which wins over the default ({@link Settings}); none of these options has a
 * picocli default of its own, so that order is decided in one place. Public for the command
 * packages ({@code dev.vigil.app.feeds}); what only {@code dev.vigil.app} uses stays package-private.
 */
public final class CommonOptions {

    private CommonOptions() {
    }

    /**
     * The settings of the command this mixin is in: its {@code --config} if it has the
     * {@link Config} mixin, else {@code VIGIL_CONFIG} or {@code ./vigil.yaml}; loaded once.
     */
    static Settings settings(CommandSpec mixee) {
        for (CommandSpec mixin : mixee.mixins().values()) {
            if (mixin.userObject() instanceof Config config) {
                return config.settings();
            }
        }
        return Settings.load(null, Vigil.env(mixee));
    }

    /** The help of {@code --topic-prefix}, on every command that talks to Kafka and on {@code topics plan}. */
    static final String TOPIC_PREFIX_HELP = "Put before every Vigil topic name on the cluster: staging. gives staging.vigil.articles, so two deployments "
            + "can share a cluster (env VIGIL_TOPIC_PREFIX; vigil.yaml kafka.topic-prefix; default: none).";

    /** {@code --config FILE}: vigil.yaml. */
    public static final class Config {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--config", paramLabel = "FILE",
                description = "vigil.yaml: Kafka, HTTP, data dir and where the feeds, rules and routing files are (env VIGIL_CONFIG; default: ./vigil.yaml if it exists).")
        Path config;

        private Settings settings;

        Settings settings() {
            if (settings == null) {
                settings = Settings.load(config, Vigil.env(mixee));
            }
            return settings;
        }
    }

    /**
     * Where Kafka is and how to connect to it: one {@link KafkaConnection} for the whole process,
     * built once, from which every client's configuration is derived.
     */
    public static final class Kafka {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
                description = "Kafka to use (env VIGIL_BOOTSTRAP_SERVERS; vigil.yaml kafka.bootstrap-servers; else bootstrap.servers in --kafka-config). "
                        + "Without it, run and demo start an embedded broker.")
        String bootstrapServers;

        @Option(names = "--kafka-config", paramLabel = "FILE",
                description = "Kafka client properties for every client, as Kafka's tools take --command-config: security.protocol, sasl.*, ssl.* "
                        + "(env VIGIL_KAFKA_CONFIG; over vigil.yaml kafka.properties; see docs/deploying.md).")
        Path kafkaConfig;

        @Option(names = "--create-topics", paramLabel = "true|false", arity = "1",
                description = "Create Vigil's missing topics at start (true), or only verify them and refuse to start when one is missing "
                        + "(false: for clusters where applications may not create topics; env VIGIL_CREATE_TOPICS; vigil.yaml kafka.create-topics; default: true).")
        Boolean createTopics;

        @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = TOPIC_PREFIX_HELP)
        String topicPrefix;

        private Optional<KafkaConnection> connection;

        /** The connection, if a cluster was named anywhere. */
        Optional<KafkaConnection> connection() {
            if (connection == null) {
                connection = settings(mixee).kafka(bootstrapServers, kafkaConfig, topicPrefix);
            }
            return connection;
        }

        /** The connection to the cluster named anywhere, else to the embedded broker {@code startBroker} starts, with the topic prefix either way. */
        KafkaConnection connectionOr(Supplier<String> startBroker) {
            return connection().orElseGet(() -> KafkaConnection.to(startBroker.get()).withTopicPrefix(topicPrefix()));
        }

        /** The topic prefix ({@link KafkaConnection#topicPrefix}), empty when none is given. */
        String topicPrefix() {
            return settings(mixee).topicPrefix(topicPrefix).value();
        }

        public boolean embedded() {
            return connection().isEmpty();
        }

        public KafkaConnection required(CommandSpec spec) {
            return connection().orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "Missing --bootstrap-servers (or VIGIL_BOOTSTRAP_SERVERS, or kafka.bootstrap-servers in vigil.yaml): this command works against a running Kafka"));
        }

        /** Whether services create missing topics, or only verify them. */
        boolean createTopics() {
            return settings(mixee).createTopics(createTopics).value();
        }
    }

    /** The prefix of the consumer groups and the Streams application id, so two deployments can share a cluster. */
    static final class Ids {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--id-prefix", paramLabel = "PREFIX",
                description = "What the consumer groups and the Streams application id start with: PREFIX-ingest, PREFIX-streams, PREFIX-alerts "
                        + "(env VIGIL_ID_PREFIX; vigil.yaml kafka.id-prefix; default: vigil).")
        String idPrefix;

        String prefix() {
            return settings(mixee).idPrefix(idPrefix, ClusterAccess.DEFAULT_ID_PREFIX).value();
        }

        /** A service's consumer group (for streams: its application id). */
        String group(ClusterAccess.Service service) {
            return service.group(prefix());
        }
    }

    /** Where local state lives. */
    static final class Data {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Local state: embedded Kafka data, Streams state stores (env VIGIL_DATA_DIR; vigil.yaml data-dir; default: data).")
        Path dataDir;

        Path dir() {
            return settings(mixee).dataDir(dataDir).value();
        }
    }

    /** The metrics and health endpoint. */
    static final class Http {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--http-port", paramLabel = "PORT",
                description = "Port for the status page, /api, /metrics and /health (env VIGIL_HTTP_PORT; vigil.yaml http.port; default: 8080; 0 picks a free port, -1 turns it off).")
        Integer port;

        @Option(names = "--http-bind", paramLabel = "ADDRESS",
                description = "Address to serve HTTP on (env VIGIL_HTTP_BIND; vigil.yaml http.bind; default: 127.0.0.1; 0.0.0.0 in a container).")
        String bind;

        int port() {
            return settings(mixee).httpPort(port).value();
        }

        String bind() {
            return settings(mixee).httpBind(bind).value();
        }
    }

    /** Alert receivers: a routing file, and receivers for every alert given on the command line. */
    static final class Receivers {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--routing", paramLabel = "FILE",
                description = "The routing file: receivers (webhook, Slack, e-mail, log), routes, silences, repeat interval, retries (env VIGIL_ROUTING; vigil.yaml routing; see docs/alerts.md).")
        Path routing;

        @Option(names = "--webhook", paramLabel = "URL", split = ",",
                description = "Also POST every alert as JSON to this URL, unsigned; repeat or separate with commas (env VIGIL_WEBHOOKS).")
        List<String> webhooks = new ArrayList<>();

        @Option(names = "--egress-allow", paramLabel = "CIDR", split = ",",
                description = "Let receivers connect to this address range although the egress guard refuses it by default (loopback, private, ...), like egress.allow in the routing file; repeat or separate with commas.")
        List<String> egressAllow = new ArrayList<>();

        @Option(names = "--no-console", negatable = false, description = "Do not print alerts to standard output.")
        boolean noConsole;

        @Option(names = "--api-token-file", paramLabel = "FILE",
                description = "File holding the bearer token that POST/DELETE /api/silences require (env VIGIL_API_TOKEN_FILE, or the token itself in VIGIL_API_TOKEN; vigil.yaml http.api-token). Without one, silences are read-only over HTTP.")
        Path apiTokenFile;

        /** The routing file's routing (or none), plus the console and every --webhook as receivers of every alert. */
        Routing routing(CommandSpec spec) {
            Settings settings = settings(mixee);
            Optional<Path> file = settings.routing(routing).map(Settings.Setting::value);
            Routing out = file.isEmpty() ? Routing.empty() : RoutingFile.load(file.get(), settings.envLookup());
            out = out.withEgressAllow(cidrs(spec, "--egress-allow", egressAllow));
            try {
                if (!noConsole) {
                    out = out.withCatchAll(new Receiver.Console(new ReceiverName("console")));
                }
                for (Receiver.Webhook w : webhooks(spec)) {
                    out = out.withCatchAll(w);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "routing " + file.map(Path::toString).orElse("") + ": " + e.getMessage()
                        + " (the command line adds the receivers 'console' and 'webhook-N')");
            }
            return out;
        }

        /** The bearer token for changing silences over HTTP, or null for none. */
        Secret apiToken(CommandSpec spec) {
            return settings(mixee).apiToken(apiTokenFile).orElse(null);
        }

        List<Receiver.Webhook> webhooks(CommandSpec spec) {
            List<Receiver.Webhook> out = new ArrayList<>();
            for (String raw : settings(mixee).webhooks(webhooks)) {
                if (raw == null || raw.isBlank()) {
                    continue;
                }
                out.add(Receiver.Webhook.unsigned(new ReceiverName("webhook-" + (out.size() + 1)), webhookUri(spec, raw.strip(), out.size() + 1)));
            }
            return out;
        }

        private static URI webhookUri(CommandSpec spec, String raw, int n) {
            try {
                return HttpUrl.parse(raw);
            } catch (IllegalArgumentException e) {
                // reported without echoing the URL: it may carry a token
                throw new CommandLine.ParameterException(spec.commandLine(), "--webhook #" + n + ": expected an absolute http(s) URL");
            }
        }
    }

    /** The feeds file. */
    static final class Feeds {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--feeds", paramLabel = "FILE",
                description = "A feeds file whose feeds are written to the catalogue (vigil.feeds) at start, with its egress and backfill settings "
                        + "(env VIGIL_FEEDS; vigil.yaml feeds). Without one, an empty catalogue gets the bundled world-news list.")
        Path feeds;

        /** The validated feeds file, if one was given anywhere. */
        Optional<FeedsFile.Loaded> load() {
            return settings(mixee).feeds(feeds).map(s -> FeedsFile.load(s.value()));
        }

        /** Where the feeds file is and how it was named, if one was given. */
        Optional<Settings.Setting<Path>> file() {
            return settings(mixee).feeds(feeds);
        }
    }

    /** The rules file. */
    static final class Rules {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--rules", paramLabel = "FILE",
                description = "The rules file (env VIGIL_RULES; vigil.yaml rules; default: the bundled rule pack).")
        Path rules;

        RuleSet load() {
            return settings(mixee).rules(rules).map(s -> RulesLoader.load(s.value())).orElseGet(RulesLoader::loadDefault);
        }
    }

    /** Kafka Streams properties an operator may tune (threads, timeouts, commit interval). */
    static final class StreamsTuning {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
                description = "A Kafka Streams or client property, applied last; repeatable (e.g. num.stream.threads=2; vigil.yaml kafka.streams).")
        Map<String, String> properties = new HashMap<>();

        Map<String, String> properties() {
            return settings(mixee).streamsProperties(properties);
        }
    }

    /** Address ranges given with {@code option}, each checked (an address literal, never a name). */
    public static List<Cidr> cidrs(CommandSpec spec, String option, List<String> raw) {
        List<Cidr> allowed = new ArrayList<>();
        for (String a : raw) {
            try {
                allowed.add(Cidr.parse(a));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }
        return allowed;
    }

    /** Reads "30s", "5m", "2h" or ISO-8601 durations. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return ConfigNode.parseDuration(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("expected a duration such as 30s, 5m or 2h, found '" + value + "'"));
        }
    }
}
