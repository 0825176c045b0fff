package dev.vigil.alerts;

import static dev.vigil.alerts.LoopbackReceiver.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.alerts.receiver.Channel;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.alerts.receiver.WebhookChannel;
import dev.vigil.alerts.receiver.WebhookSignature;
import dev.vigil.alerts.silence.Silences;
import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.Level;
import dev.vigil.model.Silence;
import dev.vigil.model.SilenceId;
import dev.vigil.model.TopicName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One receiver's lane against real HTTP servers on loopback: retries, Retry-After, 410, hangs, resets, redirects. */
class ReceiverLaneTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String TOKEN = "tok-s3cret-9f8e7d";

    private final RecordingLedger ledger = new RecordingLedger();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final List<Alert> delivered = new CopyOnWriteArrayList<>();
    private final List<ReceiverLane.Job> finished = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private LoopbackReceiver receiver;
    private RetryPolicy retry = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofHours(1));
    private Silences silences = Silences.NONE;
    private Clock clock = Clock.systemUTC();

    @BeforeEach
    void start() throws IOException {
        receiver = new LoopbackReceiver();
        logs.start();
        ((Logger) LoggerFactory.getLogger("dev.vigil")).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger("dev.vigil")).detachAppender(logs);
        receiver.close();
    }

    private Receiver.Webhook webhook(URI url, Duration timeout) {
        return new Receiver.Webhook(new ReceiverName("ops-hook"), new Secret(url.toString(), "test"), List.of(new Secret(SECRET, "test")),
                new Receiver.Pacing(timeout, 1000));
    }

    private ReceiverLane lane(Channel channel) {
        return new ReceiverLane(channel, retry, 1000, ledger, new AlertsMetrics(registry), silences, Duration.ofHours(4), clock,
                waits::add, finished::add, delivered::add);
    }

    private ReceiverLane lane() {
        return lane(new WebhookChannel(webhook(receiver.uri("/hook?token=" + TOKEN), Duration.ofSeconds(5)), clock, LoopbackReceiver.GUARD));
    }

    private static ReceiverLane.Job job(Alert alert) {
        return new ReceiverLane.Job(alert, Instant.now(), null);
    }

    @Test
    void receiverThatFailsTwiceThenSucceedsGetsTheAlertOnceWithOneWebhookIdAndValidSignatures() throws Exception {
        receiver.then(Reply.status(503), Reply.status(500));
        Alert alert = TestAlerts.alert("US strikes boat");

        lane().process(job(alert));

        assertThat(receiver.requests()).hasSize(3);
        assertThat(receiver.accepted()).singleElement().satisfies(r -> assertThat(new String(r.body(), StandardCharsets.UTF_8))
                .contains("\"specversion\":\"1.0\"", "US strikes boat"));
        assertThat(receiver.requests()).extracting(r -> r.header("webhook-id")).containsOnly(alert.id());
        WebhookSignature verifier = WebhookSignature.of(List.of(SECRET));
        for (LoopbackReceiver.Request r : receiver.requests()) {
            verifier.verify(r.header("webhook-id"), r.header("webhook-timestamp"), r.header("webhook-signature"), r.body(), Instant.now());
        }
        assertThat(ledger.outcomes()).containsExactly(Delivery.Outcome.RETRY, Delivery.Outcome.RETRY, Delivery.Outcome.DELIVERED);
        assertThat(ledger.attempts).extracting(Delivery::attempt).containsExactly(1, 2, 3);
        assertThat(ledger.deadLetters).isEmpty();
        assertThat(waits).hasSize(2);
        assertThat(delivered).containsExactly(alert);
        assertThat(finished).hasSize(1);
    }

    @Test
    void tooManyRequestsWaitsWhatRetryAfterSays() throws Exception {
        receiver.then(Reply.status(429, "Retry-After", "7"));

        lane().process(job(TestAlerts.alert("t")));

        assertThat(waits).containsExactly(Duration.ofSeconds(7));
        assertThat(ledger.attempts.get(0).detail()).isEqualTo("HTTP 429 (Retry-After 7 s)");
        assertThat(ledger.outcomes()).containsExactly(Delivery.Outcome.RETRY, Delivery.Outcome.DELIVERED);
    }

    @Test
    void exhaustedRetriesAreDeadLetteredWithTheAlertAndTheReasonAndNoSecret() throws Exception {
        receiver.otherwise(Reply.status(503));

        lane().process(job(TestAlerts.alert("t")));

        assertThat(receiver.requests()).hasSize(4);
        assertThat(ledger.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.alert()).isEqualTo(TestAlerts.alert("t"));
            assertThat(d.detail()).contains("gave up after 4 attempts").contains("HTTP 503");
            assertThat(d.receiver()).isEqualTo("ops-hook");
        });
        assertThat(finished).hasSize(1);
        assertNoSecretAnywhere();
    }

    @Test
    void goneDisablesTheReceiverAndEveryLaterAlertIsDeadLetteredWithoutTryingIt() throws Exception {
        receiver.then(Reply.status(410));
        ReceiverLane lane = lane();

        lane.process(job(TestAlerts.alert("first")));
        lane.process(job(TestAlerts.alert("second")));

        assertThat(receiver.requests()).hasSize(1);
        assertThat(ledger.outcomes()).containsExactly(Delivery.Outcome.RECEIVER_DISABLED, Delivery.Outcome.DEAD_LETTERED);
        assertThat(ledger.deadLetters).hasSize(2);
        assertThat(ledger.deadLetters.get(1).detail()).startsWith("receiver disabled since");
        assertThat(lane.status().state()).isEqualTo("disabled");
        assertThat(registry.get(AlertsMetrics.RECEIVER_DISABLED).tag("receiver", "ops-hook").gauge().value()).isEqualTo(1.0);
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("ops-hook", "DISABLED"));
    }

    @Test
    void otherClientErrorsAreDeadLetteredAtOnce() throws Exception {
        receiver.then(Reply.status(400));

        lane().process(job(TestAlerts.alert("t")));

        assertThat(receiver.requests()).hasSize(1);
        assertThat(ledger.deadLetters).singleElement().satisfies(d -> assertThat(d.detail()).isEqualTo("HTTP 400"));
    }

    @Test
    void redirectIsAFailureAndIsNeverFollowed() throws Exception {
        try (LoopbackReceiver elsewhere = new LoopbackReceiver()) {
            receiver.then(Reply.status(307, "Location", elsewhere.uri("/stolen").toString()));

            lane().process(job(TestAlerts.alert("t")));

            assertThat(elsewhere.requests()).isEmpty();
            assertThat(receiver.requests()).hasSize(1);
            assertThat(ledger.deadLetters).singleElement().satisfies(d -> assertThat(d.detail()).isEqualTo("HTTP 307 redirect, not followed"));
        }
    }

    @Test
    void hangingReceiverTimesOutAndIsRetried() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        receiver.then(Reply.hang(release));
        ReceiverLane lane = lane(new WebhookChannel(webhook(receiver.uri("/hook"), Duration.ofSeconds(2)), clock, LoopbackReceiver.GUARD));
        try {
            lane.process(job(TestAlerts.alert("t")));
        } finally {
            release.countDown();
        }

        assertThat(ledger.attempts.get(0).outcome()).isEqualTo(Delivery.Outcome.RETRY);
        assertThat(ledger.attempts.get(0).detail()).isEqualTo("timed out after 2000 ms");
        assertThat(ledger.outcomes()).endsWith(Delivery.Outcome.DELIVERED);
    }

    @Test
    void connectionResetIsRetried() throws Exception {
        try (ServerSocket resetter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = resetter.accept()) {
                        InputStream in = s.getInputStream();
                        in.read(new byte[256]);
                        s.setSoLinger(true, 0); // close with RST
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "test-resetter");
            t.setDaemon(true);
            t.start();
            retry = new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofHours(1));
            lane(new WebhookChannel(webhook(URI.create("http://127.0.0.1:" + resetter.getLocalPort() + "/hook?token=" + TOKEN),
                    Duration.ofSeconds(5)), clock, LoopbackReceiver.GUARD)).process(job(TestAlerts.alert("t")));
        }

        assertThat(ledger.outcomes()).containsExactly(Delivery.Outcome.RETRY, Delivery.Outcome.DEAD_LETTERED);
        assertThat(ledger.attempts.get(0).detail()).startsWith("connection failed: ");
        assertThat(ledger.deadLetters).singleElement().satisfies(d -> assertThat(d.detail()).contains("gave up after 2 attempts"));
        assertNoSecretAnywhere();
    }

    @Test
    void refusedConnectionIsRetriedThenDeadLettered() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        retry = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofHours(1));
        lane(new WebhookChannel(webhook(URI.create("http://127.0.0.1:" + closedPort + "/hook?token=" + TOKEN), Duration.ofSeconds(2)), clock, LoopbackReceiver.GUARD))
                .process(job(TestAlerts.alert("t")));

        assertThat(ledger.outcomes()).containsExactly(Delivery.Outcome.RETRY, Delivery.Outcome.RETRY, Delivery.Outcome.DEAD_LETTERED);
        assertNoSecretAnywhere();
    }

    @Test
    void silencedAlertIsRecordedNotSent() throws Exception {
        Silence s = new Silence(1, new SilenceId("s-1"), new TopicName("venezuela"), Level.ELEVATED, Instant.now().plusSeconds(3600),
                "planned exercise", "test", Instant.now());
        silences = (topic, level, now) -> s.activeAt(now) && s.matches(topic, level) ? Optional.of(s) : Optional.empty();

        lane().process(job(TestAlerts.alert("t")));

        assertThat(receiver.requests()).isEmpty();
        assertThat(ledger.attempts).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(Delivery.Outcome.SILENCED);
            assertThat(d.detail()).contains("s-1", "planned exercise");
        });
        assertThat(finished).hasSize(1);
    }

    @Test
    void sameEpisodeAtTheSameLevelUnderAnotherIdIsSuppressedWithinTheRepeatInterval() throws Exception {
        ReceiverLane lane = lane();
        Alert high = TestAlerts.alert("venezuela", "venezuela.ep1", 2, Level.HIGH, Level.ELEVATED, "t", "https://x.example/1");
        Alert backToElevated = TestAlerts.alert("venezuela", "venezuela.ep1", 3, Level.ELEVATED, Level.HIGH, "t", "https://x.example/1");
        Alert highAgain = TestAlerts.alert("venezuela", "venezuela.ep1", 4, Level.HIGH, Level.ELEVATED, "t", "https://x.example/1");

        lane.process(job(high));
        lane.process(job(backToElevated));
        lane.process(job(highAgain));
        lane.process(job(high)); // a redelivery of the same alert is never suppressed: receivers de-duplicate on webhook-id

        assertThat(ledger.outcomes()).containsExactly(Delivery.Outcome.DELIVERED, Delivery.Outcome.DELIVERED,
                Delivery.Outcome.REPEAT_SUPPRESSED, Delivery.Outcome.DELIVERED);
        assertThat(ledger.attempts.get(2).detail()).contains("repeat of " + high.id());
        assertThat(receiver.requests()).extracting(r -> r.header("webhook-id")).containsExactly(high.id(), backToElevated.id(), high.id());
    }

    @Test
    void alertsOfAReceiverFailingLongerThanTheBudgetAreDeadLetteredWithoutWaitingTheirTurnAgain() throws Exception {
        receiver.otherwise(Reply.status(503));
        retry = new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(30));
        ReceiverLane lane = lane();

        lane.process(job(TestAlerts.alert("head")));
        lane.process(new ReceiverLane.Job(TestAlerts.alert("queued long ago"), Instant.now().minus(Duration.ofHours(1)), null));

        assertThat(receiver.requests()).hasSize(2);
        assertThat(ledger.deadLetters).hasSize(2);
        assertThat(ledger.deadLetters.get(1).detail()).startsWith("gave up without an attempt: the receiver has been failing since")
                .contains("HTTP 503");
    }

    @Test
    void anAlertIdThatCannotBeAHeaderIsDeadLetteredAndTheLaneGoesOn() throws Exception {
        Alert good = TestAlerts.alert("t");
        Alert forged = new Alert("1.0", "x\r\nX-Injected: 1", "vigil/streams", good.type(), good.time(), good.data());
        ReceiverLane lane = lane();

        lane.process(job(forged));
        lane.process(job(good));

        assertThat(receiver.requests()).singleElement().satisfies(r -> assertThat(r.header("webhook-id")).isEqualTo(good.id()));
        assertThat(ledger.deadLetters).singleElement().satisfies(d -> assertThat(d.detail()).contains("not a valid webhook-id"));
    }

    @Test
    void aChannelThatThrowsUnexpectedlyDeadLettersTheAlertInsteadOfStoppingTheLane() throws Exception {
        Channel broken = new Channel() {
            @Override
            public ReceiverName name() {
                return new ReceiverName("broken");
            }

            @Override
            public Delivery.Channel kind() {
                return Delivery.Channel.LOG;
            }

            @Override
            public void deliver(Alert alert) {
                throw new IllegalStateException("bug");
            }
        };
        lane(broken).process(job(TestAlerts.alert("t")));

        assertThat(ledger.deadLetters).singleElement().satisfies(d -> assertThat(d.detail()).isEqualTo("unexpected error: IllegalStateException"));
        assertThat(finished).hasSize(1);
    }

    private void assertNoSecretAnywhere() {
        List<String> texts = new ArrayList<>();
        ledger.attempts.forEach(d -> texts.add(d.toString()));
        ledger.deadLetters.forEach(d -> texts.add(d.detail() + d.receiver()));
        logs.list.forEach(e -> texts.add(e.getFormattedMessage()));
        for (Meter m : registry.getMeters()) {
            texts.add(m.getId().toString());
        }
        assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain(TOKEN).doesNotContain(SECRET.substring(6)));
    }

    @Test
    void webhookReceiverPrintsWithoutItsSecrets() {
        Receiver.Webhook w = webhook(receiver.uri("/hook?token=" + TOKEN), Duration.ofSeconds(1));
        assertThat(w.toString()).doesNotContain(TOKEN).doesNotContain(SECRET).contains("ops-hook");
    }
}
