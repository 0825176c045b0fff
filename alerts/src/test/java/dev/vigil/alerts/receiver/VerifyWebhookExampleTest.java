package dev.vigil.alerts.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.alerts.TestAlerts;
import dev.vigil.model.Alert;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver example in docs/examples/verify_webhook.py (Python, standard library only) accepts
 * what Vigil signs and refuses what it did not: an independent implementation of the check, so
 * the signature is the specification's and not just ours.
 */
@Timeout(60)
class VerifyWebhookExampleTest {

    static final Path SCRIPT = Path.of(System.getProperty("vigil.root", ".."), "docs", "examples", "verify_webhook.py");
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    Path dir;

    private static boolean python() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)").start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int check(String id, String timestamp, String signature, byte[] body) throws Exception {
        Path file = Files.write(dir.resolve("body.json"), body);
        ProcessBuilder pb = new ProcessBuilder("python3", SCRIPT.toString(), "--check", id, timestamp, signature, file.toString());
        pb.environment().put("VIGIL_WEBHOOK_SECRET", SECRET);
        Process p = pb.redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void theDocumentedPythonReceiverAcceptsVigilsSignatureAndRefusesATamperedBody() throws Exception {
        assumeTrue(Files.exists(SCRIPT), "docs/examples/verify_webhook.py not found from " + SCRIPT);
        assumeTrue(python(), "python3 (3.9+) is not installed: the documented Python receiver is not checked");
        byte[] body = "{\"id\":\"venezuela.ep.1.elevated\"}".getBytes(StandardCharsets.UTF_8);
        long ts = Instant.now().getEpochSecond();
        String signature = WebhookSignature.of(List.of(SECRET)).sign("venezuela.ep.1.elevated", ts, body);

        assertThat(check("venezuela.ep.1.elevated", Long.toString(ts), signature, body)).isZero();
        assertThat(check("venezuela.ep.1.elevated", Long.toString(ts), signature, "{\"id\":\"forged\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(check("venezuela.ep.1.elevated", Long.toString(ts - 3600), signature, body)).isEqualTo(1);
        assertThat(check("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8))).as("an old timestamp is refused even with a valid signature").isEqualTo(1);
    }

    @Test
    void theDocumentedPythonReceiverHandlesARedeliveredAlertOnce() throws Exception {
        assumeTrue(Files.exists(SCRIPT), "docs/examples/verify_webhook.py not found from " + SCRIPT);
        assumeTrue(python(), "python3 (3.9+) is not installed: the documented Python receiver is not checked");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("python3", SCRIPT.toString(), "--port", Integer.toString(port));
        pb.environment().put("VIGIL_WEBHOOK_SECRET", SECRET);
        Process p = pb.redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).startsWith("listening on");
            awaitPort(port);
            WebhookChannel channel = new WebhookChannel(new Receiver.Webhook(new ReceiverName("py"),
                    new Secret("http://127.0.0.1:" + port + "/", "test"), List.of(new Secret(SECRET, "test")),
                    new Receiver.Pacing(Duration.ofSeconds(5), 10)), Clock.systemUTC(), dev.vigil.alerts.LoopbackReceiver.GUARD);
            Alert alert = TestAlerts.alert("Carrier arrives");
            channel.deliver(alert);
            channel.deliver(alert); // a retry after a crash: same webhook-id
            channel.deliver(TestAlerts.alert("venezuela", "venezuela.ep2", 1, dev.vigil.model.Level.HIGH, dev.vigil.model.Level.NORMAL, "t", "u"));
            List<String> lines = new ArrayList<>();
            lines.add(out.readLine());
            lines.add(out.readLine());
            assertThat(lines).containsExactly("ALERT venezuela elevated (firing) id " + alert.id(), "ALERT venezuela high (firing) id venezuela.ep2.1.high");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(s.isConnected()).isTrue();
                return;
            } catch (IOException e) {
                TimeUnit.MILLISECONDS.sleep(50); // polling for the port to open, with a deadline
            }
        }
        throw new AssertionError("the Python receiver did not open port " + port);
    }
}
