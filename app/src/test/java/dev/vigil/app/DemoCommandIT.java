package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil demo}, the command a newcomer runs first, end to end in this JVM: the first alert, and the story to its end, each printed when the command returns. */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DemoCommandIT {

    @TempDir
    Path dir;

    @Test
    void demoUntilAlertExitsZeroOnceTheVenezuelaAlertIsPrinted() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("demo", "--until-alert", "--timeout", "120s", "--pace", "500ms", "--data-dir", dir.toString());
        // read once, as the command returned: what the console prints later does not count
        String printed = out.toString();
        assertThat(exit).as(err.toString()).isZero();
        // which level fires first depends on how many stories the first polls carry
        Matcher said = Pattern.compile("first venezuela alert \\((elevated|high|critical)\\) delivered").matcher(err.toString());
        assertThat(said.find()).as(err.toString()).isTrue();
        assertThat(venezuela(printed)).as("the console's venezuela alerts when the command returned").isNotEmpty().first(STRING)
                .startsWith("== ALERT venezuela " + said.group(1).toUpperCase(Locale.ROOT) + " (firing, was normal)");
    }

    /**
     * With a webhook too, each receiver has its own lane: the demo ended when either had the alert
     * (a bug before), so it could return, and close the console's lane, before the console printed it.
     */
    @Test
    void demoUntilResolvedWithAWebhookReturnsOnceTheConsoleHasPrintedTheResolvedAlert() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        try (WebhookReceiver hook = new WebhookReceiver()) {
            int exit = cli.execute("demo", "--until-resolved", "--webhook", hook.uri().toString(), "--timeout", "150s", "--pace", "500ms",
                    "--data-dir", dir.toString());
            List<String> printed = venezuela(out.toString());
            assertThat(exit).as(err.toString()).isZero();
            assertThat(err.toString()).containsPattern("the venezuela alert resolved [0-9.]+ s after launch");
            assertThat(printed).as("the console's venezuela alerts when the command returned").isNotEmpty().last(STRING)
                    .startsWith("== ALERT venezuela NORMAL (resolved, was ");
            assertThat(hook.alerts()).as("the webhook, the demo's other receiver, had alerts too").isNotEmpty();
        }
    }

    @Test
    void demoTellsTheWholeStoryUpToTheResolvedAlert() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // `vigil demo` as the README runs it: until stopped
        AtomicReference<Integer> exit = new AtomicReference<>();
        Thread demo = new Thread(() -> exit.set(cli.execute("demo", "--pace", "1s", "--data-dir", dir.toString())), "demo-it");
        demo.start();
        try {
            Await.until(Duration.ofSeconds(150), () -> "the resolved alert on standard output; so far:\n" + headlines(out.toString()) + "\nerr: " + err,
                    () -> headlines(out.toString()).stream().anyMatch(h -> h.contains("(resolved, was ")));
        } finally {
            demo.interrupt();
            demo.join(30_000);
        }
        List<String> alerts = headlines(out.toString());
        // up, the top, and back down: every change of level once, in order, the last of them resolved
        assertThat(alerts.get(0)).startsWith("== ALERT venezuela ").contains("(firing, was normal)");
        assertThat(alerts).anyMatch(h -> h.startsWith("== ALERT venezuela CRITICAL ("));
        assertThat(alerts).anyMatch(h -> h.contains("(deescalated, was "));
        assertThat(alerts.get(alerts.size() - 1)).startsWith("== ALERT venezuela NORMAL (resolved, was ");
        assertThat(levels(alerts)).as("each alert starts from the level the one before reached").isEqualTo(previousLevels(alerts));
        assertThat(demo.isAlive()).as("the demo stops when interrupted").isFalse();
    }

    @Test
    void untilAlertAndUntilResolvedTogetherAreAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("demo", "--until-alert", "--until-resolved", "--data-dir", dir.toString());
        assertThat(exit).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("--until-alert and --until-resolved: choose one");
    }

    private static final Pattern HEADLINE = Pattern.compile("^== ALERT venezuela (\\w+) \\(\\w+, was (\\w+)\\).*$", Pattern.MULTILINE);

    private static List<String> headlines(String out) {
        return out.lines().filter(l -> l.startsWith("== ALERT ")).toList();
    }

    private static List<String> venezuela(String out) {
        return headlines(out).stream().filter(h -> h.startsWith("== ALERT venezuela ")).toList();
    }

    /** The level each alert reached, from normal: normal, then the level of each alert but the last. */
    private static List<String> levels(List<String> alerts) {
        List<String> out = new ArrayList<>(List.of("normal"));
        alerts.stream().limit(alerts.size() - 1).forEach(h -> out.add(group(h, 1).toLowerCase(Locale.ROOT)));
        return out;
    }

    private static List<String> previousLevels(List<String> alerts) {
        return alerts.stream().map(h -> group(h, 2)).toList();
    }

    private static String group(String headline, int group) {
        Matcher m = HEADLINE.matcher(headline);
        assertThat(m.matches()).as(headline).isTrue();
        return m.group(group);
    }

    @Test
    void demoThatCannotAlertInTimeExitsNonZeroWithAMessage() {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err, true));
        // a scenario clock this slow releases no escalation story within the timeout
        int exit = cli.execute("demo", "--until-alert", "--timeout", "3s", "--pace", "1h", "--data-dir", dir.toString());
        assertThat(exit).isEqualTo(Vigil.EXIT_FAILED);
        assertThat(err.toString()).contains("no venezuela alert was delivered within 3s");
    }
}
