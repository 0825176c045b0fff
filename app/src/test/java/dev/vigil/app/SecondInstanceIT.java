package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second {@code vigil run} beside a running one, each a child JVM: on the same data directory,
 * on the same Kafka port, on the same HTTP port. Each is one line and exit code 1, and the first
 * instance still stops cleanly afterwards. The feeds file lists one feed on a closed loopback
 * port, so nothing is fetched from anywhere else.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SecondInstanceIT {

    private static final Pattern STATUS_PAGE = Pattern.compile("status page on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void aSecondInstanceSaysWhatIsTakenInOneLineAndTheFirstStillStopsCleanly() throws Exception {
        Path feeds = Files.writeString(dir.resolve("feeds.yaml"), """
                egress:
                  allow: [127.0.0.1/32]
                feeds:
                  - id: local
                    url: http://127.0.0.1:9/feed.xml
                """, StandardCharsets.UTF_8);
        Path data = dir.resolve("data");
        int kafkaPort = freePort();
        try (ChildJvm first = ChildJvm.start(dir.resolve("first.log"), "run", "--data-dir", data.toString(), "--kafka-port", Integer.toString(kafkaPort),
                "--http-port", "0", "--feeds", feeds.toString(), "--no-console")) {
            first.awaitOutput("status page on", Duration.ofSeconds(120));
            Matcher m = STATUS_PAGE.matcher(first.output());
            assertThat(m.find()).as("the first instance's HTTP port in its log").isTrue();
            int httpPort = Integer.parseInt(m.group(1));

            String sameDir = second("same-dir", "--data-dir", data.toString(), "--kafka-port", Integer.toString(freePort()), "--http-port", "0");
            assertThat(sameDir).contains("data directory " + data.toAbsolutePath().normalize() + " is in use by another vigil").contains("--data-dir");

            String sameKafkaPort = second("same-kafka-port", "--data-dir", dir.resolve("other").toString(), "--kafka-port", Integer.toString(kafkaPort),
                    "--http-port", "0");
            assertThat(sameKafkaPort).contains("port " + kafkaPort + " on 127.0.0.1 is already in use").contains("--kafka-port");

            String sameHttpPort = second("same-http-port", "--data-dir", dir.resolve("third").toString(), "--kafka-port", Integer.toString(freePort()),
                    "--http-port", Integer.toString(httpPort));
            assertThat(sameHttpPort).contains("HTTP port " + httpPort + " on 127.0.0.1 is already in use").contains("--http-port");

            assertThat(first.isAlive()).isTrue();
            long started = System.nanoTime();
            first.terminate(Duration.ofSeconds(60));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(tookMs).as("the first instance stopped within the controlled shutdown, not after a timeout").isLessThan(45_000);
            assertThat(first.output()).doesNotContain("controlled shutdown").doesNotContain("Timed out").doesNotContain("lock");
        }
    }

    /** Runs a second instance to its end: exit 1, exactly one line of output, no stack trace; that line. */
    private String second(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("run", "--feeds", dir.resolve("feeds.yaml").toString(), "--no-console"));
        command.addAll(List.of(args));
        try (ChildJvm second = ChildJvm.start(dir.resolve(name + ".log"), command.toArray(new String[0]))) {
            int exit = second.awaitExit(Duration.ofSeconds(90));
            List<String> lines = second.output().lines().filter(l -> !l.isBlank()).toList();
            assertThat(exit).as(name + ": " + lines).isEqualTo(Vigil.EXIT_FAILED);
            assertThat(lines).as(name).hasSize(1);
            assertThat(lines.get(0)).as(name).startsWith("vigil: ").doesNotContain("Exception");
            Files.writeString(Path.of("target", "second-instance-report.txt"), name + " (exit " + exit + "): " + lines.get(0) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return lines.get(0);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
