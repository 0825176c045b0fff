package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil demo --until-alert}, the command a newcomer runs first, end to end in this JVM. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoCommandIT {

    @TempDir
    Path dir;

    @Test
    void demoUntilAlertExitsZeroOnceTheVenezuelaAlertIsDelivered() {
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("demo", "--until-alert", "--timeout", "120s", "--pace", "500ms", "--data-dir", dir.toString());
        assertThat(exit).as(err.toString()).isZero();
        // which level fires first depends on how many stories the first polls carry
        assertThat(err.toString()).containsPattern("first venezuela alert \\((elevated|high|critical)\\) delivered");
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
