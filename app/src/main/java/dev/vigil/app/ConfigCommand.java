package dev.vigil.app;

import dev.vigil.alerts.Routing;
import dev.vigil.alerts.RoutingFile;
import dev.vigil.app.config.Settings;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.InvalidConfigException;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.streams.rules.RuleSet;
import dev.vigil.streams.rules.RulesLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil config check}: the whole configuration, every file it points to, in one pass. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check Vigil's configuration: vigil.yaml, the environment, and every file they point to.",
        subcommands = {ConfigCommand.Check.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExample:%n",
        footer = "  vigil config check vigil.yaml")
final class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: try `vigil config check [FILE]`");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check vigil.yaml, the environment and every file they point to.",
                    "Validates vigil.yaml (FILE, else VIGIL_CONFIG, else ./vigil.yaml), the VIGIL_* environment variables, and every file",
                    "they point to: the feeds file, the rules file and the routing file, with their secrets. Prints each setting in force and",
                    "where it came from (flag, env, vigil.yaml line, default), then every problem as file:line:column: key: reason.",
                    "Unknown keys are errors; a secret written inline (not {env: NAME} or {file: PATH}) is an error."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil config check vigil.yaml",
                    "  VIGIL_BOOTSTRAP_SERVERS=kafka:9092 vigil config check     # as a container would see it",
                    "%nExit codes: 0 everything is valid; 2 something is not (each problem is listed)."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "The vigil.yaml to check.")
        Path file;

        private final List<ConfigProblem> problems = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Settings settings = attempt(() -> Settings.load(file, Vigil.env(spec))).orElse(null);
            if (settings == null) {
                return report(out);
            }
            out.println(settings.file().map(f -> "configuration: " + f.file()).orElse("configuration: no vigil.yaml (flags, environment and defaults)"));
            attempt(() -> settings.bootstrapServers(null)).ifPresent(s -> line(out, "kafka.bootstrap-servers",
                    s.map(v -> v.value() + "  (" + v.from() + ")").orElseGet(() -> attempt(() -> settings.kafka(null, null, null)).flatMap(k -> k)
                            .map(k -> k.bootstrapServers() + "  (bootstrap.servers in the kafka.config file)")
                            .orElse("(none: run and demo start an embedded broker)"))));
            attempt(() -> settings.kafkaConfig(null)).ifPresent(s -> line(out, "kafka.config", s.map(v -> v.value() + "  (" + v.from() + ")").orElse("(none)")));
            // values whose names say secret are shown as (hidden): the check proves they were found, never what they are
            attempt(() -> settings.kafkaProperties(null)).ifPresent(p -> line(out, "kafka.properties", p.isEmpty() ? "(none)" : KafkaConnection.describe(withoutBootstrap(p)).toString()));
            attempt(() -> settings.kafka(null, null, null)).flatMap(k -> k).ifPresent(c -> line(out, "kafka.principal", c.principal()));
            attempt(() -> settings.createTopics(null)).ifPresent(s -> line(out, "kafka.create-topics", s.value() + "  (" + s.from() + ")"));
            attempt(() -> settings.idPrefix(null, ClusterAccess.DEFAULT_ID_PREFIX)).ifPresent(s -> line(out, "kafka.id-prefix", s.value() + "  (" + s.from() + ")"));
            attempt(() -> settings.topicPrefix(null)).ifPresent(s -> line(out, "kafka.topic-prefix", (s.value().isEmpty() ? "(none)" : s.value()) + "  (" + s.from() + ")"));
            attempt(() -> settings.kafkaPort(null)).ifPresent(s -> line(out, "kafka.embedded-port", s.value() + "  (" + s.from() + ")"));
            line(out, "kafka.streams", settings.streamsProperties(null).isEmpty() ? "(none)" : String.join(", ", settings.streamsProperties(null).keySet()));
            attempt(() -> settings.dataDir(null)).ifPresent(s -> line(out, "data-dir", s.value() + "  (" + s.from() + ")"));
            attempt(() -> settings.httpPort(null)).ifPresent(s -> line(out, "http.port", s.value() + "  (" + s.from() + ")"));
            attempt(() -> settings.httpBind(null)).ifPresent(s -> line(out, "http.bind", s.value() + "  (" + s.from() + ")"));
            attempt(() -> settings.apiToken(null)).ifPresent(s -> line(out, "http.api-token",
                    s.map(t -> "set (" + t.origin() + ")").orElse("(none: silences are read-only over HTTP)")));
            attempt(() -> settings.instanceId(null)).ifPresent(s -> line(out, "instance-id", s.map(v -> v.value() + "  (" + v.from() + ")").orElse("(none)")));
            attempt(() -> settings.feeds(null)).ifPresent(s -> {
                if (s.isEmpty()) {
                    line(out, "feeds", "(none: the catalogue vigil.feeds; an empty one gets the bundled world-news list)");
                } else {
                    attempt(() -> FeedsFile.load(s.get().value())).ifPresent(f -> line(out, "feeds", s.get().value() + "  (" + s.get().from() + "): valid, "
                            + f.feeds().size() + " feeds"));
                }
            });
            attempt(() -> settings.rules(null)).ifPresent(s -> {
                Optional<RuleSet> rules = attempt(() -> s.isEmpty() ? RulesLoader.loadDefault() : RulesLoader.load(s.get().value()));
                rules.ifPresent(r -> line(out, "rules", s.map(v -> v.value() + "  (" + v.from() + ")").orElse("(the bundled rule pack)")
                        + ": valid, " + r.topics().size() + " topics, " + r.signals().size() + " signals"));
            });
            attempt(() -> settings.routing(null)).ifPresent(s -> {
                if (s.isEmpty()) {
                    line(out, "routing", "(none: alerts go to the console and any --webhook)");
                } else {
                    Optional<Routing> routing = attempt(() -> RoutingFile.load(s.get().value(), settings.envLookup()));
                    routing.ifPresent(r -> line(out, "routing", s.get().value() + "  (" + s.get().from() + "): valid, " + r.receivers().size()
                            + " receivers, " + r.routes().size() + " routes, " + r.silences().size() + " silences"));
                }
            });
            return report(out);
        }

        private <T> Optional<T> attempt(Supplier<T> step) {
            try {
                return Optional.ofNullable(step.get());
            } catch (InvalidConfigException e) {
                problems.addAll(e.problems());
                return Optional.empty();
            }
        }

        private static Map<String, String> withoutBootstrap(Map<String, String> properties) {
            Map<String, String> out = new LinkedHashMap<>(properties);
            out.remove("bootstrap.servers");
            return out;
        }

        private static void line(PrintWriter out, String key, String value) {
            out.printf("  %-24s %s%n", key, value);
        }

        private int report(PrintWriter out) {
            if (problems.isEmpty()) {
                out.println("valid");
                return 0;
            }
            PrintWriter err = spec.commandLine().getErr();
            err.printf("vigil config check: %d %s:%n", problems.size(), problems.size() == 1 ? "problem" : "problems");
            problems.forEach(p -> err.println("  " + p));
            return Vigil.EXIT_INVALID;
        }
    }
}
