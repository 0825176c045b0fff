package dev.vigil.alerts;

import static dev.vigil.alerts.LoopbackReceiver.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.api.ReceiverStatus;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.alerts.receiver.WebhookChannel;
import dev.vigil.alerts.silence.Silences;
import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.Level;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A webhook receiver down for an hour of scenario time: half of it answering 503, half of it not
 * listening at all (connections refused), while an alert is decided every minute. The real lane
 * (its thread, queue, retry policy, rate limit and webhook channel) works against a real loopback
 * server; a {@link ScenarioClock} makes the hour pass in a moment. When the receiver is back the
 * backlog drains under the rate limit; the receiver, de-duplicating on {@code webhook-id}, gets every
 * alert exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiverOutageTest {

    static final Duration OUTAGE = Duration.ofHours(1);
    static final Duration DECIDED_EVERY = Duration.ofMinutes(1);
    static final double PER_SECOND = 2;

    private final ScenarioClock clock = new ScenarioClock(TestAlerts.T0);
    private final RecordingLedger ledger = new RecordingLedger();
    private final List<ReceiverLane.Job> finished = new CopyOnWriteArrayList<>();
    private final List<Alert> delivered = new CopyOnWriteArrayList<>();
    private final AtomicReference<LoopbackReceiver> receiver = new AtomicReference<>();
    private final List<LoopbackReceiver.Request> seen = new CopyOnWriteArrayList<>();
    private ReceiverLane lane;

    @AfterEach
    void stop() {
        if (lane != null) {
            lane.close();
        }
        LoopbackReceiver r = receiver.get();
        if (r != null) {
            r.close();
        }
    }

    private static Alert decided(int n) {
        return TestAlerts.alert("venezuela", "venezuela.ep" + n, 1, Level.ELEVATED, Level.NORMAL, "story " + n, "https://herald.example/a/" + n);
    }

    /** The receiver stops listening; what it saw so far is kept. */
    private void refuse() {
        LoopbackReceiver r = receiver.getAndSet(null);
        seen.addAll(r.requests());
        r.close();
    }

    /** The receiver listens again on its old port and answers 204. */
    private void listen(int port) {
        try {
            receiver.set(new LoopbackReceiver(clock, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " again", e);
        }
    }

    @Test
    void anHourDownLosesNothingSendsNothingTwiceAndDrainsTheBacklogUnderTheRateLimit() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        int count = (int) (OUTAGE.toSeconds() / DECIDED_EVERY.toSeconds());
        CountDownLatch done = new CountDownLatch(count);
        LoopbackReceiver first = new LoopbackReceiver(clock, 0).otherwise(Reply.status(503));
        receiver.set(first);
        int port = first.port();
        Receiver.Webhook hook = new Receiver.Webhook(new ReceiverName("ops-hook"), new Secret("http://127.0.0.1:" + port + "/hook", "test"),
                List.of(new Secret(ReceiverLaneTest.SECRET, "test")), new Receiver.Pacing(Duration.ofSeconds(5), PER_SECOND));
        lane = new ReceiverLane(new WebhookChannel(hook, clock, LoopbackReceiver.GUARD), RetryPolicy.DEFAULT, PER_SECOND, ledger, new AlertsMetrics(new SimpleMeterRegistry()),
                Silences.NONE, Duration.ofHours(4), clock, clock, job -> {
                    finished.add(job);
                    done.countDown();
                }, delivered::add);
        for (int n = 0; n < count; n++) {
            Alert a = decided(n);
            alerts.add(a);
            clock.at(DECIDED_EVERY.multipliedBy(n), () -> lane.submit(new ReceiverLane.Job(a, clock.instant(), null)));
        }
        clock.at(OUTAGE.dividedBy(2), this::refuse);
        AtomicReference<ReceiverStatus> beforeReturn = new AtomicReference<>();
        clock.at(OUTAGE.minusSeconds(1), () -> beforeReturn.set(lane.status()));
        clock.at(OUTAGE, () -> listen(port));
        clock.runDue();
        lane.start();

        assertThat(done.await(45, TimeUnit.SECONDS)).as("every alert finished; %d of %d at scenario %s", finished.size(), count, clock.elapsed())
                .isTrue();
        // the lane reports a delivery just after it finishes the job: wait for that report too
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.size() < count - ledger.deadLetters.size() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        seen.addAll(receiver.get().requests());
        List<LoopbackReceiver.Request> accepted = seen.stream().filter(r -> r.answeredWith() / 100 == 2).toList();
        Map<String, Long> perId = accepted.stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        long duplicates = accepted.size() - perId.size();
        List<String> lost = alerts.stream().map(Alert::id).filter(id -> !perId.containsKey(id)).toList();
        List<Instant> times = accepted.stream().map(LoopbackReceiver.Request::at).sorted().toList();
        Duration firstAfterReturn = Duration.between(TestAlerts.T0.plus(OUTAGE), times.get(0));
        Duration drain = Duration.between(times.get(0), times.get(times.size() - 1));
        long refusedAttempts = ledger.attempts.stream().filter(d -> d.detail().startsWith("connection failed")).count();
        long unavailableAttempts = ledger.attempts.stream().filter(d -> d.detail().startsWith("HTTP 503")).count();
        System.out.printf("FIGURES receiver-outage: down=%d min (503 then refused) decided=%d attempts-while-down=%d (503: %d, refused: %d) "
                        + "queued-before-return=%d delivered=%d lost=%d duplicated=%d dead-lettered=%d first-delivery-after-return=%d s "
                        + "drain=%.1f s at %.1f/s (limit %.1f/s, burst %d)%n",
                OUTAGE.toMinutes(), count, unavailableAttempts + refusedAttempts, unavailableAttempts, refusedAttempts,
                beforeReturn.get().queued(), perId.size(), lost.size(), duplicates, ledger.deadLetters.size(), firstAfterReturn.toSeconds(),
                drain.toMillis() / 1000.0, (times.size() - 1) / (drain.toMillis() / 1000.0), PER_SECOND, (int) Math.ceil(PER_SECOND));

        assertThat(beforeReturn.get().state()).as("the receiver's status just before it came back").isEqualTo("failing");
        assertThat(beforeReturn.get().queued()).as("alerts waiting in the lane").isEqualTo(count - 1);
        assertThat(unavailableAttempts).as("attempts answered 503").isPositive();
        assertThat(refusedAttempts).as("attempts whose connection was refused").isPositive();
        assertThat(lost).as("alerts the receiver never accepted").isEmpty();
        assertThat(duplicates).as("alerts the receiver accepted twice").isZero();
        assertThat(ledger.deadLetters).isEmpty();
        assertThat(delivered).extracting(Alert::id).containsExactlyElementsOf(alerts.stream().map(Alert::id).toList());
        assertThat(ledger.outcomes()).filteredOn(o -> o == Delivery.Outcome.DELIVERED).hasSize(count);
        // back within the longest backoff, and in order of decision
        assertThat(times.get(0)).isAfterOrEqualTo(TestAlerts.T0.plus(OUTAGE));
        assertThat(firstAfterReturn).isLessThanOrEqualTo(RetryPolicy.DEFAULT.maxBackoff());
        // a token bucket of PER_SECOND with a burst of ceil(PER_SECOND): in any span T, at most burst + rate × T deliveries
        int burst = (int) Math.ceil(PER_SECOND);
        for (int i = 0; i < times.size(); i++) {
            for (int j = i + 1; j < times.size(); j++) {
                double span = Duration.between(times.get(i), times.get(j)).toNanos() / 1e9;
                assertThat(j - i + 1).as("deliveries %d..%d within %.3f s", i, j, span).isLessThanOrEqualTo((int) Math.floor(burst + PER_SECOND * span + 1e-9));
            }
        }
        // and no slower than the limit: the backlog is done as soon as the bucket allows
        double fastest = (count - burst) / PER_SECOND;
        assertThat(drain.toMillis() / 1000.0).as("seconds to drain %d alerts", count).isBetween(fastest, fastest + 1);
    }
}
