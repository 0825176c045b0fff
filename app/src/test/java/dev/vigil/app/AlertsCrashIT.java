package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil alerts} as its own JVM, killed hard (SIGKILL) between sending an alert and
 * committing it: the receiver kills the sender while the request is in its hands, before it
 * answers, so the sender cannot have committed. After a restart the alert comes again with the
 * same {@code webhook-id}, correctly signed, and nothing is lost; duplicates stay within the
 * number of crashes.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AlertsCrashIT {

    static final String SECRET = AlertDeliveryIT.SECRET;

    @TempDir
    Path dir;

    private EmbeddedKafka kafka;
    private AlertTopics topics;
    private SigningReceiver receiver;
    private Path routing;
    private final AtomicReference<Process> child = new AtomicReference<>();
    private int runs;

    @BeforeEach
    void start() throws IOException {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        TopicAdmin.ensureTopics(kafka.bootstrapServers());
        topics = new AlertTopics(kafka.bootstrapServers());
        receiver = new SigningReceiver(SECRET);
        routing = Files.writeString(dir.resolve("routing.yaml"), """
                retry: {initialBackoff: 100ms, maxBackoff: 1s}
                egress: {allow: [127.0.0.1/32]}
                receivers:
                  subscriber:
                    type: webhook
                    url: %s
                    secret: {env: VIGIL_TEST_HOOK_SECRET}
                routes:
                  - receivers: [subscriber]
                """.formatted(receiver.uri()), StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() throws InterruptedException {
        Process p = child.get();
        if (p != null && p.isAlive()) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        receiver.close();
        kafka.close();
    }

    /** Starts {@code vigil alerts} in a child JVM on this test's class path. */
    private Process launch() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("alerts-" + (++runs) + ".log");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Vigil.class.getName(),
                "alerts", "--bootstrap-servers", kafka.bootstrapServers(), "--routing", routing.toString(), "--no-console",
                "--http-port", "-1", "--instance-id", "crash-test-1")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("VIGIL_TEST_HOOK_SECRET", SECRET);
        Process p = pb.start();
        child.set(p);
        return p;
    }

    /** Kills the sender hard, from inside the receiver, while the request {@code n} (1-based) is unanswered. */
    private void killOnRequests(Set<Integer> which, AtomicInteger kills) {
        AtomicInteger seen = new AtomicInteger();
        receiver.beforeAnswer(r -> {
            if (which.contains(seen.incrementAndGet())) {
                Process p = child.get();
                p.destroyForcibly();
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                kills.incrementAndGet();
            }
        });
    }

    private static List<Alert> alerts(int count) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(AlertDeliveryIT.alert("crash", i));
        }
        return out;
    }

    @Test
    void killedBetweenSendingAndCommittingSendsTheAlertAgainWithTheSameWebhookId() throws Exception {
        AtomicInteger kills = new AtomicInteger();
        killOnRequests(Set.of(1), kills);
        Alert alert = AlertDeliveryIT.alert("crash", 1);
        topics.publish(List.of(alert));

        Process first = launch();
        Await.until(Duration.ofSeconds(90), "the first attempt to reach the receiver and the sender to be killed", () -> kills.get() == 1);
        assertThat(first.isAlive()).isFalse();
        assertThat(topics.committed(AlertsSettingsDefaults.GROUP)).isZero();

        launch();
        Await.until(Duration.ofSeconds(90), "the alert sent again after the restart", () -> receiver.requests().size() >= 2);
        Await.until(Duration.ofSeconds(60), "the alert committed", () -> topics.committed(AlertsSettingsDefaults.GROUP) == 1);

        List<SigningReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(2).allSatisfy(r -> {
            assertThat(r.webhookId()).isEqualTo(alert.id());
            assertThat(r.verified()).isTrue();
            assertThat(r.alert()).isEqualTo(alert);
        });
        System.out.printf("FIGURES kill-between-send-and-commit: sent=1 delivered=%d dead-lettered=%d duplicates=%d crashes=%d webhook-ids=%s%n",
                receiver.acceptedIds().size(), topics.deadLetters().size(), requests.size() - 1, kills.get(),
                requests.stream().map(SigningReceiver.Request::webhookId).collect(Collectors.toList()));
    }

    @Test
    void repeatedCrashesLoseNothingAndDuplicateNoMoreThanOneAlertEach() throws Exception {
        int sent = 12;
        Set<Integer> crashAt = Set.of(2, 6, 10);
        AtomicInteger kills = new AtomicInteger();
        killOnRequests(crashAt, kills);
        topics.publish(alerts(sent));

        launch();
        for (int k = 1; k <= crashAt.size(); k++) {
            int expected = k;
            Await.until(Duration.ofSeconds(90), "crash " + k, () -> kills.get() == expected);
            launch();
        }
        Await.until(Duration.ofSeconds(90), "all " + sent + " alerts committed", () -> topics.committed(AlertsSettingsDefaults.GROUP) == sent);

        List<SigningReceiver.Request> requests = receiver.requests();
        Map<String, Long> perId = requests.stream().collect(Collectors.groupingBy(SigningReceiver.Request::webhookId, Collectors.counting()));
        long duplicates = requests.size() - perId.size();
        assertThat(perId.keySet()).containsExactlyInAnyOrderElementsOf(alerts(sent).stream().map(Alert::id).toList());
        assertThat(requests).allSatisfy(r -> assertThat(r.verified()).isTrue());
        assertThat(topics.deadLetters()).isEmpty();
        assertThat(duplicates).isLessThanOrEqualTo(kills.get());
        System.out.printf("FIGURES repeated-crashes: sent=%d delivered=%d dead-lettered=%d duplicates=%d crashes=%d%n",
                sent, perId.size(), topics.deadLetters().size(), duplicates, kills.get());
    }

    /** The group the {@code vigil alerts} command uses by default. */
    static final class AlertsSettingsDefaults {
        static final String GROUP = dev.vigil.alerts.AlertsSettings.DEFAULT_GROUP_ID;
    }
}
