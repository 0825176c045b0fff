package dev.vigil.app;

import dev.vigil.alerts.Routing;
import dev.vigil.alerts.RoutingFile;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.alerts.AlertsSettings;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by several commands, each with its environment variable for containers. */
final class CommonOptions {

    private CommonOptions() {
    }

    /** Where Kafka is. */
    static final class Kafka {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", defaultValue = "${env:VIGIL_BOOTSTRAP_SERVERS}",
                description = "Kafka to use (env VIGIL_BOOTSTRAP_SERVERS). Without it, run and demo start an embedded broker.")
        String bootstrapServers;

        boolean embedded() {
            return bootstrapServers == null || bootstrapServers.isBlank();
        }

        String required(CommandLine.Model.CommandSpec spec) {
            if (embedded()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "Missing --bootstrap-servers (or VIGIL_BOOTSTRAP_SERVERS): this service runs against an existing Kafka cluster");
            }
            return bootstrapServers.strip();
        }
    }

    /** Where local state lives. */
    static final class Data {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:VIGIL_DATA_DIR:-data}",
                description = "Local state: embedded Kafka data, Streams state stores (env VIGIL_DATA_DIR; default: ${DEFAULT-VALUE}).")
        Path dataDir;
    }

    /** The metrics and health endpoint. */
    static final class Http {
        @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:VIGIL_HTTP_PORT:-8080}",
                description = "Port for /metrics and /health (env VIGIL_HTTP_PORT; default: ${DEFAULT-VALUE}; 0 picks a free port, -1 turns it off).")
        int port;

        @Option(names = "--http-bind", paramLabel = "ADDRESS", defaultValue = "${env:VIGIL_HTTP_BIND:-127.0.0.1}",
                description = "Address to serve /metrics and /health on (env VIGIL_HTTP_BIND; default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
        String bind;
    }

    /** Alert receivers: a routing file, and receivers for every alert given on the command line. */
    static final class Receivers {
        @Option(names = "--routing", paramLabel = "FILE", defaultValue = "${env:VIGIL_ROUTING}",
                description = "The routing file: receivers (webhook, Slack, e-mail, log), routes, silences, repeat interval, retries (env VIGIL_ROUTING; see docs/alerts.md).")
        Path routing;

        @Option(names = "--webhook", paramLabel = "URL", split = ",", defaultValue = "${env:VIGIL_WEBHOOKS}",
                description = "Also POST every alert as JSON to this URL, unsigned; repeat or separate with commas (env VIGIL_WEBHOOKS).")
        List<String> webhooks = new ArrayList<>();

        @Option(names = "--no-console", negatable = false, description = "Do not print alerts to standard output.")
        boolean noConsole;

        @Option(names = "--api-token-file", paramLabel = "FILE", defaultValue = "${env:VIGIL_API_TOKEN_FILE}",
                description = "File holding the bearer token that POST/DELETE /api/silences require (env VIGIL_API_TOKEN_FILE, or the token itself in VIGIL_API_TOKEN). Without one, silences are read-only over HTTP.")
        Path apiTokenFile;

        /** The routing file's routing (or none), plus the console and every --webhook as receivers of every alert. */
        Routing routing(CommandLine.Model.CommandSpec spec) {
            // an environment variable set to nothing (docker-compose's ${VIGIL_ROUTING:-}) means no file
            Routing routing = this.routing == null || this.routing.toString().isBlank() ? Routing.empty() : RoutingFile.load(this.routing, System::getenv);
            try {
                if (!noConsole) {
                    routing = routing.withCatchAll(new Receiver.Console(new ReceiverName("console")));
                }
                for (Receiver.Webhook w : webhooks(spec)) {
                    routing = routing.withCatchAll(w);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--routing " + this.routing + ": " + e.getMessage()
                        + " (the command line adds the receivers 'console' and 'webhook-N')");
            }
            return routing;
        }

        /** The bearer token for changing silences over HTTP, or null for none. */
        Secret apiToken(CommandLine.Model.CommandSpec spec) {
            if (apiTokenFile != null && !apiTokenFile.toString().isBlank()) {
                try {
                    String token = Files.readString(apiTokenFile, StandardCharsets.UTF_8).strip();
                    if (token.length() < 16) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--api-token-file " + apiTokenFile + ": expected a token of at least 16 characters");
                    }
                    return new Secret(token, "file " + apiTokenFile);
                } catch (IOException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--api-token-file: cannot read " + apiTokenFile + ": " + e.getClass().getSimpleName());
                }
            }
            String env = System.getenv("VIGIL_API_TOKEN");
            if (env != null && !env.isBlank()) {
                if (env.strip().length() < 16) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "VIGIL_API_TOKEN: expected a token of at least 16 characters");
                }
                return new Secret(env.strip(), "env VIGIL_API_TOKEN");
            }
            return null;
        }

        List<Receiver.Webhook> webhooks(CommandLine.Model.CommandSpec spec) {
            List<Receiver.Webhook> out = new ArrayList<>();
            if (webhooks == null) {
                return out;
            }
            for (String raw : webhooks) {
                if (raw == null || raw.isBlank()) {
                    continue;
                }
                out.add(Receiver.Webhook.unsigned(new ReceiverName("webhook-" + (out.size() + 1)), webhookUri(spec, raw.strip(), out.size() + 1)));
            }
            return out;
        }

        private static URI webhookUri(CommandLine.Model.CommandSpec spec, String raw, int n) {
            try {
                URI uri = new URI(raw);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below without echoing the URL: it may carry a token
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "--webhook #" + n + ": expected an absolute http(s) URL");
        }
    }

    /** The feeds file. */
    static final class Feeds {
        @Option(names = "--feeds", paramLabel = "FILE", defaultValue = "${env:VIGIL_FEEDS}", description = "The feeds file (env VIGIL_FEEDS).")
        Path feeds;

        /** The validated feeds file; a usage error naming what is missing when no file was given. */
        FeedsFile.Loaded load(CommandLine.Model.CommandSpec spec, String hint) {
            if (feeds == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing --feeds FILE (or VIGIL_FEEDS)" + hint);
            }
            return FeedsFile.load(feeds);
        }
    }

    /** The rules file. */
    static final class Rules {
        @Option(names = "--rules", paramLabel = "FILE", defaultValue = "${env:VIGIL_RULES}",
                description = "The rules file (env VIGIL_RULES; default: the bundled rule pack).")
        Path rules;

        RuleSet load() {
            return rules == null ? RulesLoader.loadDefault() : RulesLoader.load(rules);
        }
    }

    /** Kafka Streams properties an operator may tune (threads, timeouts, commit interval). */
    static final class StreamsTuning {
        @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
                description = "A Kafka Streams or client property, applied last; repeatable (e.g. num.stream.threads=2).")
        Map<String, String> properties = new HashMap<>();
    }

    /** Reads "30s", "5m", "2h" or ISO-8601 durations. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return ConfigNode.parseDuration(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("expected a duration such as 30s, 5m or 2h, found '" + value + "'"));
        }
    }
}
