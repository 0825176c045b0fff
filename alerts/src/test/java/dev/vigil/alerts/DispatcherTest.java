package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Alert;
import dev.vigil.model.ArticleId;
import dev.vigil.model.Delivery;
import dev.vigil.model.Evidence;
import dev.vigil.model.Field;
import dev.vigil.model.Level;
import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    static final Instant T0 = Instant.parse("2025-11-16T12:00:00Z");

    static Alert alert(String title) {
        Evidence e = new Evidence(new RuleId("strike"), "strike*", Field.TITLE, 10, "US military strikes another boat");
        Alert.Story story = new Alert.Story(new ArticleId("u-1"), title, "https://herald.example/a/1", "Caribbean Herald",
                T0, 4, 0.5, List.of(new RuleId("strike")), List.of(e));
        return Alert.of(T0, new Alert.Data(1, new TopicName("venezuela"), "venezuela.20251116T120000Z", 1, Level.ELEVATED, Level.NORMAL,
                Alert.Transition.FIRING, 8, Map.of(Level.ELEVATED, 6.0, Level.HIGH, 15.0, Level.CRITICAL, 30.0),
                new TopicScore.Window(T0.minusSeconds(86400), T0), "sha256:abc", List.of(story)));
    }

    private HttpServer server;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failStatus = 503;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
    private final List<Delivery> attempts = new ArrayList<>();
    private final List<Delivery> deadLetters = new ArrayList<>();
    private final List<Alert> delivered = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            idempotencyKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            int status = failuresLeft.getAndDecrement() > 0 ? failStatus : 204;
            if (status == 204) {
                received.add(body);
            }
            if (status == 302) {
                exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Dispatcher dispatcher(Channel... channels) {
        Dispatcher.Ledger ledger = new Dispatcher.Ledger() {
            @Override
            public void attempt(Delivery d) {
                attempts.add(d);
            }

            @Override
            public void deadLetter(Delivery d) {
                deadLetters.add(d);
            }
        };
        return new Dispatcher(List.of(channels), new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2)), ledger,
                new AlertsMetrics(new SimpleMeterRegistry()), d -> { }, Clock.systemUTC(), delivered::add);
    }

    private WebhookChannel webhook() {
        return new WebhookChannel("ops-hook", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=s3cret"), Duration.ofSeconds(5));
    }

    @Test
    void retriesAReceiverThatFailsTwiceThenSucceeds() throws InterruptedException {
        failuresLeft.set(2);
        dispatcher(webhook()).dispatch(alert("US strikes boat"));

        assertThat(received).singleElement().satisfies(body -> assertThat(body).contains("\"specversion\":\"1.0\"", "US strikes boat"));
        assertThat(attempts).extracting(Delivery::outcome).containsExactly(Delivery.Outcome.RETRY, Delivery.Outcome.RETRY, Delivery.Outcome.DELIVERED);
        assertThat(idempotencyKeys).hasSize(3).containsOnly(alert("x").id());
        assertThat(deadLetters).isEmpty();
        assertThat(delivered).hasSize(1);
    }

    @Test
    void deadLettersAfterExhaustingRetriesWithTheAlertAndNoSecret() throws InterruptedException {
        failuresLeft.set(100);
        dispatcher(webhook()).dispatch(alert("t"));

        assertThat(attempts).hasSize(4);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.alert()).isEqualTo(alert("t"));
            assertThat(d.detail()).contains("gave up after 4 attempts").contains("HTTP 503").doesNotContain("s3cret");
            assertThat(d.receiver()).isEqualTo("ops-hook");
        });
    }

    @Test
    void clientErrorAndRedirectAreNotRetried() throws InterruptedException {
        failuresLeft.set(1);
        failStatus = 400;
        dispatcher(webhook()).dispatch(alert("t"));
        failuresLeft.set(1);
        failStatus = 302;
        dispatcher(webhook()).dispatch(alert("t"));

        assertThat(attempts).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.DEAD_LETTERED);
        assertThat(deadLetters).extracting(Delivery::detail).containsExactly("HTTP 400", "HTTP 302");
        assertThat(received).isEmpty();
    }

    @Test
    void deadReceiverDoesNotStopDeliveryToTheOthers() throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebhookChannel dead = new WebhookChannel("dead", URI.create("http://127.0.0.1:1/hook"), Duration.ofSeconds(2));
        dispatcher(dead, new ConsoleChannel(new PrintStream(out, true, StandardCharsets.UTF_8))).dispatch(alert("Carrier arrives"));

        assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.receiver()).isEqualTo("dead"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Carrier arrives");
        assertThat(delivered).hasSize(1);
    }

    @Test
    void consoleBlockShowsTopicLevelScoreStoriesAndTerms() {
        String text = AlertText.render(alert("US strikes boat\nFAKE ALERT LINE"));
        assertThat(text).contains("== ALERT venezuela ELEVATED (firing, was normal) score 8.0 (elevated from 6.0)")
                .contains("US strikes boat FAKE ALERT LINE")
                .contains("Caribbean Herald")
                .contains("matched: strike=strike* (title)")
                .contains("https://herald.example/a/1");
    }
}
