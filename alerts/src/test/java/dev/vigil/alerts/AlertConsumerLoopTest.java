package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alerts.receiver.Channel;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.silence.Silences;
import dev.vigil.model.Alert;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.Delivery;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import dev.vigil.model.net.HostResolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the consumer loop does with each record it polls: where it sends it, what it writes to
 * the ledger, what becomes committable. The records are built as a poll returns them; the lanes
 * are real, with log receivers.
 */
class AlertConsumerLoopTest {

    static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");
    static final TopicPartition P1 = new TopicPartition(Topics.ALERTS.name(), 1);

    private final RecordingLedger ledger = new RecordingLedger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AlertsMetrics metrics = new AlertsMetrics(registry);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final OffsetTracker tracker = new OffsetTracker();
    private final Map<ReceiverName, ReceiverLane> lanes = new LinkedHashMap<>();

    @AfterEach
    void closeLanes() {
        lanes.values().forEach(ReceiverLane::close);
    }

    private AlertConsumerLoop loop(Ledger ledger, String... receivers) {
        List<Receiver> rs = new ArrayList<>();
        for (String name : receivers) {
            rs.add(new Receiver.Log(new ReceiverName(name)));
        }
        List<ReceiverName> names = rs.stream().map(Receiver::name).toList();
        Routing routing = new Routing(rs, names.isEmpty() ? List.of() : List.of(Route.all(names)), List.of(), Routing.DEFAULT_REPEAT_INTERVAL,
                RetryPolicy.DEFAULT);
        PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (Receiver r : rs) {
            Channel channel = Channel.of(r, console, routing.egressGuard(HostResolver.system()));
            lanes.put(r.name(), new ReceiverLane(channel, routing.retry(), 1000, ledger, metrics, Silences.NONE, routing.repeatInterval(), clock,
                    d -> { }, AlertConsumerLoop::finished, a -> { }));
        }
        AlertsSettings settings = AlertsSettings.of(KafkaConnection.to("127.0.0.1:9"), routing);
        return new AlertConsumerLoop(settings, lanes, ledger, metrics, clock);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>(P1.topic(), P1.partition(), offset, "venezuela".getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] bytes(Alert alert) {
        return Topics.ALERTS.record(alert.data().topic(), alert).value();
    }

    private double malformed() {
        return registry.get(AlertsMetrics.MALFORMED).counter().count();
    }

    @Test
    void aRecordThatIsNoAlertIsDeadLetteredOnceAsAnUndeliverableAlertIsAndIsFinishedAtOnce() {
        AlertConsumerLoop loop = loop(ledger, "audit");

        loop.handle(record(41, "{not json".getBytes(StandardCharsets.UTF_8)), tracker);

        assertThat(ledger.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.alertId()).isEqualTo("vigil.alerts-1@41");
            assertThat(d.receiver()).isEqualTo("none");
            assertThat(d.channel()).isNull();
            assertThat(d.outcome()).isEqualTo(Delivery.Outcome.DEAD_LETTERED);
            assertThat(d.detail()).startsWith("malformed: not a valid Alert");
            assertThat(d.at()).isEqualTo(NOW);
            assertThat(d.alert()).isNull();
        });
        assertThat(ledger.attempts).isEmpty();
        assertThat(malformed()).isEqualTo(1.0);
        assertThat(lanes.get(new ReceiverName("audit")).status().queued()).isZero();
        assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(42)));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void aRecordThatIsNoAlertKeepsItsBytesHeadersAndWhereItWasRead() {
        AlertConsumerLoop loop = loop(ledger, "audit");
        byte[] garbage = {0, (byte) 0xff, '{', 0x13};
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(P1.topic(), P1.partition(), 41, 0L, TimestampType.CREATE_TIME, 1, 4,
                "venezuela".getBytes(StandardCharsets.UTF_8), garbage, new RecordHeaders(List.of(new RecordHeader("trace", new byte[] {1, 2}),
                        new RecordHeader(DeadLetter.REASON, "forged".getBytes(StandardCharsets.UTF_8)), new RecordHeader("empty", null))), Optional.empty());

        loop.handle(r, tracker);

        assertThat(ledger.malformed).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo(Topics.ALERTS_MALFORMED.name());
            assertThat(letter.key()).isEqualTo("venezuela".getBytes(StandardCharsets.UTF_8));
            assertThat(letter.value()).isEqualTo(garbage);
            assertThat(DeadLetter.sourceHeaders(letter.headers())).extracting(Header::key, Header::value).containsExactly(
                    Tuple.tuple("trace", new byte[] {1, 2}), Tuple.tuple(DeadLetter.REASON, "forged".getBytes(StandardCharsets.UTF_8)),
                    Tuple.tuple("empty", null));
            assertThat(header(letter, DeadLetter.TOPIC)).isEqualTo(Topics.ALERTS.name());
            assertThat(header(letter, DeadLetter.PARTITION)).isEqualTo("1");
            assertThat(header(letter, DeadLetter.OFFSET)).isEqualTo("41");
            assertThat(header(letter, DeadLetter.REASON)).isEqualTo("not_json");
            assertThat(header(letter, DeadLetter.MESSAGE)).startsWith("vigil.alerts-1@41: not a valid Alert");
            assertThat(header(letter, DeadLetter.AT)).isEqualTo(NOW.toString());
        });
        assertThat(ledger.deadLetters).singleElement().satisfies(d -> assertThat(d.alertId()).isEqualTo("vigil.alerts-1@41"));
        assertThat(malformed()).isEqualTo(1.0);
    }

    @Test
    void anAlertOfAnotherSchemaVersionIsNoAlert() {
        AlertConsumerLoop loop = loop(ledger, "audit");
        String json = new String(bytes(TestAlerts.alert("from the future")), StandardCharsets.UTF_8);
        assertThat(json).contains("\"schemaVersion\":1");

        loop.handle(record(5, json.replace("\"schemaVersion\":1", "\"schemaVersion\":2").getBytes(StandardCharsets.UTF_8)), tracker);

        assertThat(ledger.malformed).singleElement().satisfies(letter -> {
            assertThat(header(letter, DeadLetter.REASON)).isEqualTo("unsupported_schema");
            assertThat(header(letter, DeadLetter.MESSAGE)).contains("schemaVersion: expected 1, found 2");
        });
        assertThat(lanes.get(new ReceiverName("audit")).status().queued()).isZero();
        assertThat(malformed()).isEqualTo(1.0);
    }

    @Test
    void aTombstoneIsDeadLetteredWithItsOwnReason() {
        AlertConsumerLoop loop = loop(ledger, "audit");

        loop.handle(new ConsumerRecord<>(P1.topic(), P1.partition(), 7, null, null), tracker);

        assertThat(ledger.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.alertId()).isEqualTo("vigil.alerts-1@7");
            assertThat(d.detail()).isEqualTo("malformed: the record has no value");
        });
        // no key and no value stay none, not empty bytes; no headers is zero kept
        assertThat(ledger.malformed).singleElement().satisfies(letter -> {
            assertThat(letter.key()).isNull();
            assertThat(letter.value()).isNull();
            assertThat(header(letter, DeadLetter.REASON)).isEqualTo("empty");
            assertThat(header(letter, DeadLetter.MESSAGE)).isEqualTo("vigil.alerts-1@7: the record has no value");
            assertThat(header(letter, DeadLetter.HEADERS)).isEqualTo("0");
            assertThat(DeadLetter.sourceHeaders(letter.headers())).isEmpty();
        });
        assertThat(malformed()).isEqualTo(1.0);
        assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
    }

    @Test
    void aDeadLetterThatCannotBeWrittenLeavesTheRecordUncommitted() {
        Ledger refusing = new Ledger() {
            @Override
            public void attempt(Delivery delivery) {
                ledger.attempt(delivery);
            }

            @Override
            public void deadLetter(Delivery delivery) {
                throw new IllegalStateException("cannot dead-letter " + delivery.alertId() + ": broker down");
            }

            @Override
            public void malformed(ProducerRecord<byte[], byte[]> deadLetter) {
                throw new IllegalStateException("cannot dead-letter offset " + header(deadLetter, DeadLetter.OFFSET) + ": broker down");
            }

            @Override
            public void flush() {
                ledger.flush();
            }
        };
        AlertConsumerLoop loop = loop(refusing, "audit");
        loop.handle(record(3, bytes(TestAlerts.alert("first"))), tracker);

        assertThatThrownBy(() -> loop.handle(record(4, new byte[0]), tracker)).hasMessageContaining("broker down");
        assertThat(ledger.deadLetters).isEmpty();

        // the loop ends and its next session reads offset 4 again: nothing past it is committable
        lanes.values().forEach(ReceiverLane::start);
        awaitCommittable(Map.of(P1, new OffsetAndMetadata(4)));
    }

    @Test
    void anAlertNoRouteMatchesIsRecordedAsUnroutedAndFinished() {
        AlertConsumerLoop loop = loop(ledger);
        Alert alert = TestAlerts.alert("nobody listens");

        loop.handle(record(0, bytes(alert)), tracker);

        assertThat(ledger.attempts).singleElement().satisfies(d -> {
            assertThat(d.alertId()).isEqualTo(alert.id());
            assertThat(d.outcome()).isEqualTo(Delivery.Outcome.UNROUTED);
            assertThat(d.detail()).isEqualTo("no route matches topic venezuela at level elevated");
        });
        assertThat(ledger.deadLetters).isEmpty();
        assertThat(registry.get(AlertsMetrics.UNROUTED).counter().count()).isEqualTo(1.0);
        assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(1)));
    }

    @Test
    void aRoutedAlertIsCommittableOnlyOnceEveryReceiverIsDoneWithIt() {
        AlertConsumerLoop loop = loop(ledger, "audit", "archive");
        Alert alert = TestAlerts.alert("US strikes boat");

        loop.handle(record(10, bytes(alert)), tracker);

        assertThat(lanes.values()).allSatisfy(lane -> assertThat(lane.status().queued()).isEqualTo(1));
        assertThat(tracker.inFlight()).isEqualTo(1);
        assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(10)));
        lanes.get(new ReceiverName("audit")).start();
        awaitAttempts(1);
        assertThat(tracker.committable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(10)));

        lanes.get(new ReceiverName("archive")).start();
        awaitCommittable(Map.of(P1, new OffsetAndMetadata(11)));
        assertThat(ledger.attempts).extracting(Delivery::receiver, Delivery::outcome).containsExactlyInAnyOrder(
                Tuple.tuple("audit", Delivery.Outcome.DELIVERED), Tuple.tuple("archive", Delivery.Outcome.DELIVERED));
        assertThat(ledger.deadLetters).isEmpty();
        assertThat(malformed()).isZero();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void awaitAttempts(int n) {
        await(n + " attempts recorded", () -> ledger.attempts.size() >= n);
    }

    private void awaitCommittable(Map<TopicPartition, OffsetAndMetadata> expected) {
        await("committable " + expected, () -> tracker.committable().equals(expected));
    }

    /** Polls, with a deadline, while the lanes' threads work. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within 10 s (committable now %s)", what, tracker.committable()).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
