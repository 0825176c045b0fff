package dev.vigil.app;

import dev.vigil.model.config.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command line. {@code main} only wires; each command is its own class.
 *
 * <p>Exit codes: 0 success; 1 the command failed at run time (Kafka unreachable, no alert in
 * time); 2 invalid usage or an invalid configuration file.
 */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = Vigil.Version.class,
        description = "Watches news feeds for escalation and alerts the people who need to know.",
        subcommands = {DemoCommand.class, RunCommand.class, ServiceCommands.Ingest.class, ServiceCommands.Streams.class,
                ServiceCommands.Alerts.class, RulesCommand.class, SilenceCommand.class, BacktestCommand.class, FeedCommand.class,
                ExtractCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  failed at run time (see the message)", "  2  invalid usage or configuration file"})
public final class Vigil {

    public static final int EXIT_FAILED = 1;
    public static final int EXIT_INVALID = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Vigil());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InvalidConfigException invalid) {
                commandLine.getErr().println("vigil: invalid configuration, " + invalid.getMessage());
                return EXIT_INVALID;
            }
            commandLine.getErr().println("vigil: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Vigil.class).debug("command failed", e);
            return EXIT_FAILED;
        });
        return cli;
    }

    /** The version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Vigil.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "dev" : v)};
        }
    }
}
