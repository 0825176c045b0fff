package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertsMetrics;
import dev.vigil.alerts.AlertsService;
import dev.vigil.alerts.AlertsSettings;
import dev.vigil.alerts.RetryPolicy;
import dev.vigil.alerts.Route;
import dev.vigil.alerts.Routing;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.model.Alert;
import dev.vigil.model.ArticleId;
import dev.vigil.model.DeadLetter;
import dev.vigil.model.Delivery;
import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.model.Topics;
import dev.vigil.model.net.Cidr;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Delivery guarantees against a real broker and real receivers on loopback: a receiver down for
 * the whole run while alerts keep coming, an outage longer than the retry budget, silences set
 * from the command line and the HTTP API, a malformed record. Each test states its figures.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AlertDeliveryIT {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String TOKEN = "it-api-token-0123456789";
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path dir;

    private EmbeddedKafka kafka;
    private AlertTopics topics;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void startKafka() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        TopicAdmin.ensureTopics(kafka.bootstrapServers());
        topics = new AlertTopics(kafka.bootstrapServers());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        kafka.close();
    }

    static Alert alert(String topic, int n) {
        Alert.Story story = new Alert.Story(new ArticleId("a-" + n), "Story " + n, "https://news.example/" + n, "Example News", T0, 2, 1,
                List.of(), List.of());
        return Alert.of(T0.plusSeconds(n), new Alert.Data(1, new TopicName(topic), topic + ".ep" + n, 1, Level.ELEVATED, Level.NORMAL,
                Alert.Transition.FIRING, 7, Map.of(Level.ELEVATED, 6.0, Level.HIGH, 15.0, Level.CRITICAL, 30.0),
                new TopicScore.Window(T0.minusSeconds(86_400), T0), "sha256:it", List.of(story)));
    }

    static List<Alert> alerts(String topic, int from, int count) {
        List<Alert> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(alert(topic, i));
        }
        return out;
    }

    static Receiver.Webhook webhook(String name, SigningReceiver receiver) {
        return new Receiver.Webhook(new ReceiverName(name), new Secret(receiver.uri().toString(), "test"), List.of(new Secret(SECRET, "test")),
                new Receiver.Pacing(Duration.ofSeconds(10), 50));
    }

    private AlertsService start(String group, RetryPolicy retry, Receiver... receivers) {
        return start(group, retry, new SimpleMeterRegistry(), receivers);
    }

    private AlertsService start(String group, RetryPolicy retry, MeterRegistry registry, Receiver... receivers) {
        List<ReceiverName> names = java.util.Arrays.stream(receivers).map(Receiver::name).toList();
        Routing routing = new Routing(List.of(receivers), List.of(Route.all(names)), List.of(), Routing.DEFAULT_REPEAT_INTERVAL, retry,
                List.of(Cidr.parse("127.0.0.1/32")));   // the receivers listen on loopback
        AlertsService service = new AlertsService(AlertsSettings.of(kafka.bootstrapServers(), routing).withGroupId(group)
                .withApiToken(new Secret(TOKEN, "test")), registry,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (r, a) -> { }, Clock.systemUTC());
        open.add(service);
        service.start();
        return service;
    }

    private static long count(List<Delivery> ds, String receiver, Delivery.Outcome outcome) {
        return ds.stream().filter(d -> d.receiver().equals(receiver) && d.outcome() == outcome).count();
    }

    @Test
    void receiverDownWhileAlertsKeepComingGetsEveryOneAfterItReturnsAndNeverDelaysTheOther() throws Exception {
        SigningReceiver steady = new SigningReceiver(SECRET);
        SigningReceiver flaky = new SigningReceiver(SECRET);
        open.add(steady);
        open.add(flaky);
        flaky.down(true);
        String group = "it-outage-" + UUID.randomUUID();
        start(group, new RetryPolicy(100_000, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(10)),
                webhook("steady", steady), webhook("flaky", flaky));

        int sent = 0;
        for (int batch = 0; batch < 6; batch++) {
            topics.publish(alerts("outage", sent, 5));
            sent += 5;
            int expected = sent;
            // the live receiver gets each batch while the dead one is still retrying its first alert
            Await.until(Duration.ofSeconds(30), "steady to have " + expected + " alerts", () -> steady.acceptedIds().size() == expected);
        }
        assertThat(flaky.acceptedIds()).isEmpty();
        assertThat(flaky.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
        // nothing is committed while one routed delivery is still open
        assertThat(topics.committed(group)).isZero();

        flaky.down(false);
        int total = sent;
        Await.until(Duration.ofSeconds(60), "flaky to have all " + total + " alerts after it returned", () -> flaky.acceptedIds().size() == total);
        Await.until(Duration.ofSeconds(30), "every alert committed", () -> topics.committed(group) == total);

        List<Delivery> deliveries = topics.deliveries();
        List<Delivery> dead = topics.deadLetters();
        assertThat(steady.requests()).allSatisfy(r -> assertThat(r.verified()).isTrue());
        assertThat(flaky.requests()).allSatisfy(r -> assertThat(r.verified()).isTrue());
        assertThat(count(deliveries, "steady", Delivery.Outcome.DELIVERED)).isEqualTo(total);
        assertThat(count(deliveries, "flaky", Delivery.Outcome.DELIVERED)).isEqualTo(total);
        assertThat(count(deliveries, "flaky", Delivery.Outcome.RETRY)).isEqualTo(flaky.requests().size() - total);
        assertThat(dead).isEmpty();
        long duplicates = steady.acceptedRequests() - steady.acceptedIds().size() + flaky.acceptedRequests() - flaky.acceptedIds().size();
        assertThat(duplicates).isZero();
        System.out.printf("FIGURES receiver-down-whole-run: sent=%d delivered steady=%d flaky=%d dead-lettered=%d duplicates=%d crashes=0 "
                        + "(flaky answered 503 %d times during the outage)%n",
                total, steady.acceptedIds().size(), flaky.acceptedIds().size(), dead.size(), duplicates, flaky.requests().size() - total);
    }

    @Test
    void hangingReceiverTimesOutAndNeverDelaysTheOther() throws Exception {
        SigningReceiver steady = new SigningReceiver(SECRET);
        SigningReceiver hung = new SigningReceiver(SECRET);
        open.add(steady);
        open.add(hung);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        hung.beforeAnswer(r -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String group = "it-hang-" + UUID.randomUUID();
        Receiver.Webhook slow = new Receiver.Webhook(new ReceiverName("hung"), new Secret(hung.uri().toString(), "test"),
                List.of(new Secret(SECRET, "test")), new Receiver.Pacing(Duration.ofMillis(500), 50));
        start(group, new RetryPolicy(1000, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMinutes(10)), webhook("steady", steady), slow);

        topics.publish(alerts("hang", 0, 5));
        Await.until(Duration.ofSeconds(30), "steady to have all 5 while the other hangs", () -> steady.acceptedIds().size() == 5);
        Await.until(Duration.ofSeconds(30), "a timed-out attempt recorded", () -> topics.deliveries().stream()
                .anyMatch(d -> d.receiver().equals("hung") && d.outcome() == Delivery.Outcome.RETRY && d.detail().equals("timed out after 500 ms")));
        assertThat(topics.committed(group)).isZero();

        release.countDown();
        Await.until(Duration.ofSeconds(60), "every alert committed once the receiver answers again", () -> topics.committed(group) == 5);
        List<Delivery> deliveries = topics.deliveries();
        assertThat(count(deliveries, "hung", Delivery.Outcome.DELIVERED)).isEqualTo(5);
        assertThat(topics.deadLetters()).isEmpty();
        // requests that timed out on the sender's side reached the receiver too: the same webhook-id again, which it drops
        System.out.printf("FIGURES hanging-receiver: sent=5 delivered steady=%d hung=%d dead-lettered=0 timed-out attempts=%d "
                        + "requests the hung receiver saw=%d (de-duplicated by webhook-id to %d)%n",
                steady.acceptedIds().size(), count(deliveries, "hung", Delivery.Outcome.DELIVERED), count(deliveries, "hung", Delivery.Outcome.RETRY),
                hung.requests().size(), hung.acceptedIds().size());
    }

    @Test
    void outageLongerThanTheRetryBudgetDeadLettersWithTheReasonAndLosesNothing() throws Exception {
        SigningReceiver steady = new SigningReceiver(SECRET);
        SigningReceiver flaky = new SigningReceiver(SECRET);
        open.add(steady);
        open.add(flaky);
        flaky.down(true);
        String group = "it-budget-" + UUID.randomUUID();
        start(group, new RetryPolicy(100_000, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1)),
                webhook("steady", steady), webhook("flaky", flaky));

        topics.publish(alerts("budget", 0, 10));
        Await.until(Duration.ofSeconds(60), "flaky's 10 alerts dead-lettered", () -> topics.deadLetters().size() == 10);
        flaky.down(false);
        topics.publish(alerts("budget", 10, 5));
        Await.until(Duration.ofSeconds(60), "every alert committed", () -> topics.committed(group) == 15);

        List<Delivery> dead = topics.deadLetters();
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.receiver()).isEqualTo("flaky");
            assertThat(d.alert()).isNotNull();
            assertThat(d.detail()).containsAnyOf("gave up after", "gave up without an attempt").contains("HTTP 503");
        });
        java.util.Set<String> all = new java.util.HashSet<>(flaky.acceptedIds());
        dead.forEach(d -> all.add(d.alertId()));
        assertThat(all).hasSize(15);
        assertThat(steady.acceptedIds()).hasSize(15);
        System.out.printf("FIGURES outage-longer-than-budget: sent=15 delivered steady=%d flaky=%d dead-lettered flaky=%d duplicates=%d crashes=0%n",
                steady.acceptedIds().size(), flaky.acceptedIds().size(), dead.size(),
                steady.acceptedRequests() - steady.acceptedIds().size() + flaky.acceptedRequests() - flaky.acceptedIds().size());
    }

    @Test
    void silencesFromTheCommandLineAndTheApiReachTheRunningServiceAndAreRecorded() throws Exception {
        SigningReceiver hook = new SigningReceiver(SECRET);
        open.add(hook);
        String group = "it-silence-" + UUID.randomUUID();
        AlertsService service = start(group, RetryPolicy.DEFAULT, webhook("hook", hook));
        OpsServer ops = new OpsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new Health());
        open.add(ops);
        ops.mount(service.api().handlers(ops.streams()));
        HttpClient http = HttpClient.newHttpClient();
        URI api = URI.create("http://127.0.0.1:" + ops.port() + "/api/silences");

        StringWriter out = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("silence", "add", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "quiet", "--for", "1h",
                "--reason", "drill in progress")).isZero();
        String cliSilence = out.toString().strip();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(api).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"hushed\",\"for\":\"30m\",\"reason\":\"api drill\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String apiSilence = dev.vigil.model.Json.mapper().readTree(created.body()).get("id").asText();

        // the running service sees both within moments (they travel through vigil.silences)
        Await.until(Duration.ofSeconds(20), "both silences listed by the service's API", () -> {
            String body = get(http, api);
            return body.contains(cliSilence) && body.contains(apiSilence);
        });
        out.getBuffer().setLength(0);
        assertThat(cli.execute("silence", "list", "--bootstrap-servers", kafka.bootstrapServers())).isZero();
        assertThat(out.toString()).contains(cliSilence, "quiet", "drill in progress", apiSilence, "hushed");

        topics.publish(List.of(alert("quiet", 1), alert("hushed", 2), alert("loud", 3)));
        publishGarbage();
        Await.until(Duration.ofSeconds(30), "all four records committed", () -> topics.committed(group) == 4);
        assertThat(hook.acceptedIds()).containsExactly(alert("loud", 3).id());
        List<Delivery> deliveries = topics.deliveries();
        assertThat(deliveries).filteredOn(d -> d.outcome() == Delivery.Outcome.SILENCED).extracting(Delivery::alertId)
                .containsExactlyInAnyOrder(alert("quiet", 1).id(), alert("hushed", 2).id());
        assertThat(deliveries).filteredOn(d -> d.alertId().equals(alert("quiet", 1).id())).singleElement()
                .satisfies(d -> assertThat(d.detail()).contains(cliSilence, "drill in progress"));
        assertThat(topics.deadLetters()).singleElement().satisfies(d -> assertThat(d.detail()).startsWith("malformed"));

        // removed, by the API and by the command line: the next alerts of those topics go out
        HttpResponse<String> unauthorised = http.send(HttpRequest.newBuilder(URI.create(api + "/" + apiSilence)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unauthorised.statusCode()).isEqualTo(401);
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(api + "/" + apiSilence)).header("Authorization", "Bearer " + TOKEN)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(cli.execute("silence", "remove", "--bootstrap-servers", kafka.bootstrapServers(), cliSilence)).isZero();
        Await.until(Duration.ofSeconds(20), "no silence listed", () ->
                !get(http, api).contains("\"id\""));
        topics.publish(List.of(alert("quiet", 4), alert("hushed", 5)));
        Await.until(Duration.ofSeconds(30), "the un-silenced alerts delivered", () -> hook.acceptedIds().size() == 3);
        assertThat(cli.execute("silence", "remove", "--bootstrap-servers", kafka.bootstrapServers(), cliSilence)).isEqualTo(Vigil.EXIT_FAILED);
    }

    @Test
    void aSilenceReasonWithLineBreaksStaysOneEscapedLogLineAfterARestart() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(dev.vigil.alerts.silence.SilenceStore.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            String group = "it-forge-" + UUID.randomUUID();
            AlertsService first = start(group, RetryPolicy.DEFAULT, new Receiver.Log(new ReceiverName("audit")));
            OpsServer ops = new OpsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new Health());
            open.add(ops);
            ops.mount(first.api().handlers(ops.streams()));
            String forged = "drill\r\n12:00:00.000 ERROR [main] d.v.alerts.AlertsService - alerts: receiver ops DISABLED\u2028and more";
            String body = dev.vigil.model.Json.mapper().writeValueAsString(Map.of("topic", "venezuela", "for", "1h", "reason", forged));
            HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + "/api/silences"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = dev.vigil.model.Json.mapper().readTree(created.body()).get("id").asText();
            first.close();

            int before = logged.list.size();
            start(group, RetryPolicy.DEFAULT, new Receiver.Log(new ReceiverName("audit")));   // the restart reads the silence back from vigil.silences and logs it
            Await.until(Duration.ofSeconds(30), "the restarted service logs silence " + id, () ->
                    logged.list.subList(before, logged.list.size()).stream().anyMatch(e -> e.getFormattedMessage().contains(id)));
            List<String> lines = logged.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).filter(m -> m.contains(id)).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .doesNotContain("\r").doesNotContain("\n").doesNotContain("\u2028")
                    .contains("drill\\r\\n12:00:00.000 ERROR [main] d.v.alerts.AlertsService - alerts: receiver ops DISABLED\\u2028and more"));
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void aRecordThatIsNoAlertIsDeadLetteredOnceAndAsAnUndeliverableAlertIs() throws Exception {
        SigningReceiver hook = new SigningReceiver(SECRET);
        open.add(hook);
        // signs with another secret: the receiver answers 401, a permanent failure the lane dead-letters at once
        Receiver.Webhook refused = new Receiver.Webhook(new ReceiverName("refused"), new Secret(hook.uri().toString(), "test"),
                List.of(new Secret("whsec_YW5vdGhlci10ZXN0LXNlY3JldC0wMTIz", "test")), new Receiver.Pacing(Duration.ofSeconds(10), 50));
        String group = "it-malformed-" + UUID.randomUUID();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AlertsService first = start(group, RetryPolicy.DEFAULT, registry, refused);

        topics.publish(List.of(alert("refused", 1)));
        publishGarbage();
        publish(new ProducerRecord<>(Topics.ALERTS.name(), "tomb".getBytes(StandardCharsets.UTF_8), null));
        Await.until(Duration.ofSeconds(30), "all three records committed", () -> topics.committed(group) == 3);

        List<ConsumerRecord<byte[], byte[]>> letters = topics.deadLetterRecords();
        assertThat(letters).hasSize(3);
        ConsumerRecord<byte[], byte[]> undeliverable = letters.stream()
                .filter(r -> Topics.ALERTS_DLQ.value(r.value()).receiver().equals("refused")).findFirst().orElseThrow();
        assertThat(Topics.ALERTS_DLQ.value(undeliverable.value())).satisfies(d -> {
            assertThat(d.alertId()).isEqualTo(alert("refused", 1).id());
            assertThat(d.detail()).isEqualTo("HTTP 401");
            assertThat(d.alert()).isEqualTo(alert("refused", 1));
        });
        List<String> ledgerHeaders = headerKeys(undeliverable);
        List<ConsumerRecord<byte[], byte[]>> malformed = letters.stream().filter(r -> r != undeliverable).toList();
        assertThat(malformed).hasSize(2).allSatisfy(r -> {
            Delivery d = Topics.ALERTS_DLQ.value(r.value());
            assertThat(d.receiver()).isEqualTo("none");
            assertThat(d.channel()).isNull();
            assertThat(d.outcome()).isEqualTo(Delivery.Outcome.DEAD_LETTERED);
            assertThat(d.alertId()).startsWith(Topics.ALERTS.name() + "-").contains("@");
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(d.alertId());
            assertThat(headerKeys(r)).isEqualTo(ledgerHeaders);
        });
        assertThat(malformed).extracting(r -> Topics.ALERTS_DLQ.value(r.value()).detail())
                .anySatisfy(detail -> assertThat(detail).startsWith("malformed: not a valid Alert"))
                .anySatisfy(detail -> assertThat(detail).isEqualTo("malformed: the record has no value"));
        assertThat(new String(undeliverable.key(), StandardCharsets.UTF_8)).isEqualTo(alert("refused", 1).id());
        assertThat(registry.get(AlertsMetrics.MALFORMED).counter().count()).isEqualTo(2.0);
        assertThat(registry.get(AlertsMetrics.DELIVERIES).tag("outcome", "dead_lettered").counter().count()).isEqualTo(1.0);

        // committed, so a restarted service reads them no more: each was dead-lettered once
        first.close();
        start(group, RetryPolicy.DEFAULT, refused);
        topics.publish(List.of(alert("refused", 2)));
        Await.until(Duration.ofSeconds(30), "the fourth record committed", () -> topics.committed(group) == 4);
        assertThat(topics.deadLetters()).extracting(Delivery::alertId).doesNotHaveDuplicates().hasSize(4).contains(alert("refused", 2).id());
    }

    /**
     * A record of vigil.alerts that is no alert loses nothing: garbage with a key and a header, and
     * a tombstone without a key, land on vigil.alerts.malformed with their exact bytes and headers
     * and a reason naming their offset; the alert after them is delivered; {@code vigil dlq list
     * --dlq vigil.alerts.malformed} shows them. {@code replay} leaves them where they are (they are
     * still no alerts, and subscribers read vigil.alerts), but puts back one that now reads as an
     * alert, headers and all, and the service delivers it.
     */
    @Test
    void aRecordThatIsNoAlertKeepsItsBytesForVigilDlqToListAndReplay() throws Exception {
        SigningReceiver hook = new SigningReceiver(SECRET);
        open.add(hook);
        String group = "it-malformed-bytes-" + UUID.randomUUID();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        start(group, RetryPolicy.DEFAULT, registry, webhook("hook", hook));

        byte[] garbageKey = "garbage-key".getBytes(StandardCharsets.UTF_8);
        byte[] garbage = {'{', 0, (byte) 0xff, (byte) 0xc3, 0x28, '\n', 'x'};
        byte[] trace = {7, 0, (byte) 0x80};
        ProducerRecord<byte[], byte[]> bad = new ProducerRecord<>(Topics.ALERTS.name(), null, garbageKey, garbage,
                new RecordHeaders(List.of(new RecordHeader("trace-id", trace))));
        RecordMetadata badAt = publish(bad);
        RecordMetadata tombAt = publish(new ProducerRecord<>(Topics.ALERTS.name(), 0, null, null));
        topics.publish(List.of(alert("after", 1)));

        Await.until(Duration.ofSeconds(30), "all three records committed", () -> topics.committed(group) == 3);
        Await.until(Duration.ofSeconds(30), "the alert after them delivered", () -> hook.acceptedIds().contains(alert("after", 1).id()));
        assertThat(registry.get(AlertsMetrics.MALFORMED).counter().count()).isEqualTo(2.0);
        assertThat(topics.deadLetters()).hasSize(2).allSatisfy(d -> assertThat(d.detail()).startsWith("malformed: "));

        List<ConsumerRecord<byte[], byte[]>> letters = topics.malformedRecords();
        assertThat(letters).hasSize(2);
        ConsumerRecord<byte[], byte[]> garbageLetter = letters.stream().filter(r -> r.value() != null).findFirst().orElseThrow();
        assertThat(garbageLetter.key()).isEqualTo(garbageKey);
        assertThat(garbageLetter.value()).isEqualTo(garbage);
        assertThat(DeadLetter.sourceHeaders(garbageLetter.headers())).singleElement().satisfies(h -> {
            assertThat(h.key()).isEqualTo("trace-id");
            assertThat(h.value()).isEqualTo(trace);
        });
        assertThat(header(garbageLetter, DeadLetter.TOPIC)).isEqualTo(Topics.ALERTS.name());
        assertThat(header(garbageLetter, DeadLetter.PARTITION)).isEqualTo(String.valueOf(badAt.partition()));
        assertThat(header(garbageLetter, DeadLetter.OFFSET)).isEqualTo(String.valueOf(badAt.offset()));
        assertThat(header(garbageLetter, DeadLetter.REASON)).isEqualTo("not_json");
        assertThat(header(garbageLetter, DeadLetter.MESSAGE)).startsWith(Topics.ALERTS.name() + "-" + badAt.partition() + "@" + badAt.offset() + ": not a valid Alert");
        ConsumerRecord<byte[], byte[]> tombLetter = letters.stream().filter(r -> r != garbageLetter).findFirst().orElseThrow();
        assertThat(tombLetter.key()).isNull();
        assertThat(tombLetter.value()).isNull();
        assertThat(header(tombLetter, DeadLetter.REASON)).isEqualTo("empty");
        assertThat(header(tombLetter, DeadLetter.MESSAGE)).isEqualTo(Topics.ALERTS.name() + "-0@" + tombAt.offset() + ": the record has no value");
        assertThat(header(tombLetter, DeadLetter.HEADERS)).isEqualTo("0");

        // vigil dlq list shows them on the topic --dlq names; the default topic is still Streams' own
        CliRun listed = vigil("dlq", "list", "--bootstrap-servers", kafka.bootstrapServers(), "--dlq", Topics.ALERTS_MALFORMED.name());
        assertThat(listed.exit()).isZero();
        assertThat(listed.err()).contains("2 dead letter(s) on " + Topics.ALERTS_MALFORMED.name());
        assertThat(listed.out().lines()).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("\"topic\":\"vigil.alerts\"", "\"sourceOffset\":" + badAt.offset(), "\"reason\":\"not_json\"",
                        "\"key\":\"garbage-key\"", "\"bytes\":" + garbage.length, "\"headers\":1"))
                .anySatisfy(line -> assertThat(line).contains("\"reason\":\"empty\"", "\"bytes\":0", "\"headers\":0").doesNotContain("\"key\""));
        CliRun streamsLetters = vigil("dlq", "list", "--bootstrap-servers", kafka.bootstrapServers());
        assertThat(streamsLetters.exit()).isZero();
        assertThat(streamsLetters.out()).isEmpty();
        assertThat(streamsLetters.err()).contains("0 dead letter(s) on " + Topics.ARTICLES_DLQ.name());
        CliRun wrong = vigil("dlq", "list", "--bootstrap-servers", kafka.bootstrapServers(), "--dlq", Topics.ALERTS_DLQ.name());
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("--dlq: expected one of [vigil.articles.dlq, vigil.alerts.malformed], found 'vigil.alerts.dlq'");

        // replay: what is still no alert stays where it is, and vigil.alerts is untouched
        CliRun kept = vigil("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--dlq", Topics.ALERTS_MALFORMED.name());
        assertThat(kept.exit()).isZero();
        assertThat(kept.out()).contains("replayed 0 dead letter(s), skipped 2");
        assertThat(kept.err()).contains("skipped offset " + garbageLetter.offset() + ": still no alert (not a valid Alert",
                "skipped offset " + tombLetter.offset() + ": still no alert (no value)");
        assertThat(topics.alertRecords()).hasSize(3);

        // a dead letter that reads as an alert now (say, one an older service could not read) goes back with its headers, and is delivered
        Alert late = alert("late", 2);
        byte[] lateKey = "late".getBytes(StandardCharsets.UTF_8);
        RecordHeaders lateHeaders = new RecordHeaders(List.of(new RecordHeader("trace-id", trace)));
        ProducerRecord<byte[], byte[]> older = DeadLetter.record(Topics.ALERTS_MALFORMED.name(), new DeadLetter.Source(Topics.ALERTS.name(), 2, 99),
                lateKey, Topics.ALERTS.record(late.data().topic(), late).value(), lateHeaders, DeadLetter.Reason.UNSUPPORTED_SCHEMA,
                "an older service's refusal", Instant.now());
        publish(older);
        CliRun replayed = vigil("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--dlq", Topics.ALERTS_MALFORMED.name(),
                "--reason", "unsupported_schema");
        assertThat(replayed.exit()).as(replayed.err()).isZero();
        assertThat(replayed.out()).contains("replayed 1 dead letter(s)");
        Await.until(Duration.ofSeconds(30), "the replayed alert delivered", () -> hook.acceptedIds().contains(late.id()));
        assertThat(topics.alertRecords()).hasSize(4).filteredOn(r -> java.util.Arrays.equals(r.key(), lateKey)).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(Topics.ALERTS.record(late.data().topic(), late).value());
            assertThat(java.util.Arrays.stream(r.headers().toArray()).map(h -> h.key() + "=" + java.util.Arrays.toString(h.value())).toList())
                    .containsExactly("trace-id=" + java.util.Arrays.toString(trace));
        });
        Await.until(Duration.ofSeconds(30), "the replayed record committed", () -> topics.committed(group) == 4);
        assertThat(topics.malformedRecords()).hasSize(3);
        assertThat(registry.get(AlertsMetrics.MALFORMED).counter().count()).isEqualTo(2.0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static CliRun vigil(String... args) {
        return CliRun.vigil(Map.of(), args);
    }

    private static List<String> headerKeys(ConsumerRecord<byte[], byte[]> r) {
        return java.util.Arrays.stream(r.headers().toArray()).map(Header::key).toList();
    }

    private static String get(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void publishGarbage() throws Exception {
        publish(new ProducerRecord<>(Topics.ALERTS.name(), "x".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8)));
    }

    private RecordMetadata publish(ProducerRecord<byte[], byte[]> record) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(record).get();
        }
    }
}
