package dev.vigil.app;

import dev.vigil.alerts.AlertsSettings;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    /** Alert receivers. */
    static final class Receivers {
        @Option(names = "--webhook", paramLabel = "URL", split = ",", defaultValue = "${env:VIGIL_WEBHOOKS}",
                description = "POST every alert as JSON to this URL; repeat or separate with commas (env VIGIL_WEBHOOKS).")
        List<String> webhooks = new ArrayList<>();

        @Option(names = "--no-console", negatable = false, description = "Do not print alerts to standard output.")
        boolean noConsole;

        List<AlertsSettings.Webhook> webhooks(CommandLine.Model.CommandSpec spec) {
            List<AlertsSettings.Webhook> out = new ArrayList<>();
            if (webhooks == null) {
                return out;
            }
            for (String raw : webhooks) {
                if (raw == null || raw.isBlank()) {
                    continue;
                }
                out.add(new AlertsSettings.Webhook("webhook-" + (out.size() + 1), webhookUri(spec, raw.strip(), out.size() + 1)));
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

    /** Reads "30s", "5m", "2h" or ISO-8601 durations. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return ConfigNode.parseDuration(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("expected a duration such as 30s, 5m or 2h, found '" + value + "'"));
        }
    }
}
