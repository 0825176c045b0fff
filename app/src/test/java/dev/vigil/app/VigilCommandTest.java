package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VigilCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        assertThat(vigil("--help")).isZero();
        assertThat(out.toString()).contains("demo", "run", "ingest", "streams", "alerts", "rules", "Exit codes:");
    }

    @Test
    void everyCommandsHelpHasARealExample() {
        List<String> commands = new ArrayList<>();
        collect(Vigil.commandLine(), "", commands);
        assertThat(commands).contains("run", "feeds add", "feeds list", "feeds import", "feeds export", "config check", "status", "completion", "rules validate", "rules apply");
        for (String command : commands) {
            out.getBuffer().setLength(0);
            String[] words = (command + " --help").split(" ");
            assertThat(vigil(words)).as(command).isZero();
            assertThat(out.toString()).as(command).contains("Example", "  vigil " + command);
        }
    }

    /** Every command and subcommand but help, by the words that call it. */
    private static void collect(CommandLine cli, String prefix, List<String> into) {
        cli.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || !sub.getCommandName().equals(name)) {
                return;     // picocli's help, and aliases (feed = feeds)
            }
            into.add(prefix + name);
            collect(sub, prefix + name + " ", into);
        });
    }

    @Test
    void everyCommandsSummaryIsASentence() {
        List<String> commands = new ArrayList<>();
        collect(Vigil.commandLine(), "", commands);
        for (String command : commands) {
            CommandLine sub = Vigil.commandLine();
            for (String word : command.split(" ")) {
                sub = sub.getSubcommands().get(word);
            }
            String[] description = sub.getCommandSpec().usageMessage().description();
            assertThat(description).as(command).isNotEmpty();
            assertThat(description[0].strip()).as("the first line of %s's description is its summary in `vigil --help`", command).endsWith(".");
        }
    }

    @Test
    void theEnvironmentSetsWhatAFlagWouldAndAFlagWins() {
        CommandLine cli = Vigil.commandLine(java.util.Map.of("VIGIL_HTTP_PORT", "not-a-port"));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("streams", "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("environment: VIGIL_HTTP_PORT: expected a port from 0 to 65535 (or -1 for none), found 'not-a-port'");

        err.getBuffer().setLength(0);
        cli = Vigil.commandLine(java.util.Map.of("VIGIL_BOOTSTRAP_SERVERS", " "));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("streams")).as("a variable set to nothing is not set").isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("Missing --bootstrap-servers (or VIGIL_BOOTSTRAP_SERVERS");
    }

    @Test
    void serviceWithoutBootstrapServersIsAUsageError() {
        assertThat(vigil("streams", "--bootstrap-servers", "")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("Missing --bootstrap-servers").doesNotContain("Usage:");
    }

    @Test
    void everyUsageErrorIsTheMessageAndOneLinePointingToHelp() {
        List<String> commands = new ArrayList<>(List.of(""));
        collect(Vigil.commandLine(), "", commands);
        for (String command : commands) {
            err.getBuffer().setLength(0);
            out.getBuffer().setLength(0);
            String[] words = (command + " --no-such-option").strip().split(" ");
            String name = ("vigil " + command).strip();
            assertThat(vigil(words)).as(command).isEqualTo(Vigil.EXIT_INVALID);
            List<String> lines = err.toString().lines().toList();
            assertThat(lines).as(command).isNotEmpty();
            assertThat(lines.get(0)).as(command).matches("Unknown option: '--no-such-option'|Missing required (parameter|option).*");
            assertThat(lines).as(command)
                    .endsWith("Run '" + name + " --help' for the options and an example.")
                    .hasSizeLessThanOrEqualTo(3)    // picocli's "Possible solutions: --no-console" may stand between
                    .noneMatch(line -> line.contains("Usage:"));
            assertThat(out.toString()).as(command).isEmpty();
        }
    }

    @Test
    void statusWithAnAddressWithoutSchemeIsAUsageErrorNotACrash() {
        // before HttpUrl, status read a missing scheme as null and failed with a NullPointerException
        assertThat(vigil("status", "--url", "//127.0.0.1:1")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("--url: expected an address such as http://127.0.0.1:8080, found '//127.0.0.1:1'");
    }

    @Test
    void aMistypedSubcommandIsSuggestedBeforeTheHelpLine() {
        assertThat(vigil("feeds", "lst")).isEqualTo(Vigil.EXIT_INVALID);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines.get(0)).contains("'lst'");
        assertThat(err.toString()).contains("list").doesNotContain("Usage:");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("Run 'vigil feeds --help' for the options and an example.");
    }

    @Test
    void brokenRulesFileIsRejectedWithFileLineAndReasonBeforeAnythingStarts() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "topics:\n  t: {any: [a]}\nsignals:\n  s: {weight: lots, any: [b]}\n");
        assertThat(vigil("streams", "--bootstrap-servers", "127.0.0.1:1", "--rules", rules.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(rules + ":4:15: signals.s.weight: expected a number, found 'lots'");
    }

    @Test
    void brokenFeedsFileIsRejectedWithFileLineAndReason() throws IOException {
        Path feeds = Files.writeString(dir.resolve("feeds.yaml"), "feeds:\n  - id: x\n    url: not-a-url\n");
        assertThat(vigil("run", "--feeds", feeds.toString(), "--data-dir", dir.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(feeds + ":3:10: feeds[0].url: expected an absolute http(s) URL");
    }

    @Test
    void webhookThatIsNotAUrlIsRejectedWithoutEchoingIt() {
        assertThat(vigil("alerts", "--bootstrap-servers", "127.0.0.1:1", "--webhook", "token-s3cret")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("--webhook #1: expected an absolute http(s) URL").doesNotContain("s3cret");
    }

    @Test
    void brokenRoutingFileIsRejectedWithFileLineAndReasonAndNoSecret() throws IOException {
        Path routing = Files.writeString(dir.resolve("routing.yaml"),
                "receivers:\n  ops: {type: webhook, url: \"https://h.example/x?token=s3cret\", secret: whsec_inline}\nroutes:\n  - receivers: [ops]\n");
        assertThat(vigil("alerts", "--bootstrap-servers", "127.0.0.1:1", "--routing", routing.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(routing + ":2:73: receivers.ops.secret: expected {env: NAME} or {file: PATH}")
                .doesNotContain("s3cret").doesNotContain("whsec_inline");
    }

    @Test
    void silenceNeedsAReasonAndExactlyOneOfForOrUntil() {
        assertThat(vigil("silence", "add", "--bootstrap-servers", "127.0.0.1:1", "--topic", "venezuela", "--for", "1h")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("--reason");
        err.getBuffer().setLength(0);
        assertThat(vigil("silence", "add", "--bootstrap-servers", "127.0.0.1:1", "--topic", "venezuela", "--reason", "r")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("exactly one of --for DURATION or --until TIME");
        err.getBuffer().setLength(0);
        assertThat(vigil("silence", "add", "--bootstrap-servers", "127.0.0.1:1", "--for", "1h", "--reason", "r")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("a silence of everything is not allowed");
    }

    @Test
    void feedsAddSaysWhichIntervalIsWrongBeforeItTriesTheFeed() {
        // port 1 on loopback: nothing is fetched, and the intervals are refused before anything is tried
        assertThat(vigil("feeds", "add", "https://127.0.0.1:1/feed.xml", "--bootstrap-servers", "127.0.0.1:1", "--min-interval", "2h",
                "--max-interval", "1h")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).startsWith("min-interval 2h is longer than max-interval 1h");
    }
}
