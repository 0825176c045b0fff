package dev.vigil.app;

import dev.vigil.app.feeds.FeedsCommand;
import dev.vigil.model.config.InvalidConfigException;
import java.io.PrintWriter;
import java.util.Map;
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
                ServiceCommands.Alerts.class, RulesCommand.class, SilenceCommand.class, DlqCommand.class, BacktestCommand.class, FeedsCommand.class,
                ExtractCommand.class, TopicsCommand.class, ConfigCommand.class, StatusCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  failed at run time (see the message)", "  2  invalid usage or configuration file"})
public final class Vigil {

    public static final int EXIT_FAILED = 1;
    public static final int EXIT_INVALID = 2;

    private final Map<String, String> env;

    private Vigil(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, reading this process's environment. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The configured command line with the environment given, so a test can run a command as a
     * container with {@code VIGIL_…} variables would, in-process.
     */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = new CommandLine(new Vigil(env));
        cli.setParameterExceptionHandler(Vigil::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InvalidConfigException invalid) {
                commandLine.getErr().println("vigil: invalid configuration, " + invalid.getMessage());
                return EXIT_INVALID;
            }
            if (e instanceof InterruptedException) {
                // the embedding thread asked it to stop (a JVM shutdown goes through the shutdown hook instead)
                Thread.currentThread().interrupt();
                commandLine.getErr().println("vigil: interrupted, stopped");
                return EXIT_FAILED;
            }
            commandLine.getErr().println("vigil: " + dev.vigil.model.LogText.of(e.getMessage() == null ? e.toString() : e.getMessage()));
            org.slf4j.LoggerFactory.getLogger(Vigil.class).debug("command failed", e);
            return EXIT_FAILED;
        });
        return cli;
    }

    /**
     * A usage error, for {@code vigil} and every subcommand: the message, picocli's "did you
     * mean" when it has one, and one line naming the command's {@code --help} — not the whole
     * help, which buries the message.
     */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getColorScheme().errorText(e.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options and an example.");
        return EXIT_INVALID;
    }

    /** The environment the command line was made with (the process's, unless a test gave its own). */
    static Map<String, String> env(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Vigil vigil ? vigil.env : System.getenv();
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
