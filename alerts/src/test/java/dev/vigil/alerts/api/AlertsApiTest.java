package dev.vigil.alerts.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.alerts.TestAlerts;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.alerts.silence.SilenceStore;
import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.model.Level;
import dev.vigil.model.Silence;
import dev.vigil.model.SilenceId;
import dev.vigil.model.TopicName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API on a real loopback server: recent alerts, the event stream and its resumption, and the silences' guard. */
// a separate thread, so a stream read that blocks fails the test instead of hanging the build
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AlertsApiTest {

    static final String TOKEN = "api-t0ken-value";

    private final AlertFeed feed = new AlertFeed(100);
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;
    private SilenceStore silences;

    private void serve(Secret token) throws IOException {
        Silence fixed = new Silence(1, new SilenceId("routing-file-1"), new TopicName("venezuela"), Level.ELEVATED,
                Instant.now().plusSeconds(3600), "exercise", "routing-file", Instant.EPOCH);
        silences = new SilenceStore(dev.vigil.model.kafka.KafkaConnection.to("127.0.0.1:1"), List.of(fixed), Clock.systemUTC());
        AlertsApi api = new AlertsApi(feed, silences, () -> List.of(new ReceiverStatus("ops", "webhook", 0, "ok", null, null)), token,
                Clock.systemUTC());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        api.handlers(new StreamBudget(4, new SimpleMeterRegistry())).forEach(server::createContext);
        server.start();
    }

    @BeforeEach
    void fill() {
        feed.append(0, 0, alert("venezuela", Level.ELEVATED, 1));
        feed.append(1, 0, alert("cuba", Level.ELEVATED, 1));
        feed.append(0, 1, alert("venezuela", Level.HIGH, 2));
    }

    @AfterEach
    void stop() {
        feed.close();
        if (server != null) {
            server.stop(0);
        }
        if (silences != null) {
            silences.close();
        }
    }

    private static Alert alert(String topic, Level level, int change) {
        return TestAlerts.alert(topic, topic + ".ep", change, level, change == 1 ? Level.NORMAL : Level.ELEVATED, "story " + change, "https://x.example/" + change);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recentAlertsNewestFirstFilteredByTopicAndLevel() throws Exception {
        serve(null);
        JsonNode all = Json.mapper().readTree(get("/api/alerts").body()).get("alerts");
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("id").asText()).isEqualTo("venezuela.ep.2.high");

        JsonNode filtered = Json.mapper().readTree(get("/api/alerts?topic=venezuela&level=elevated").body()).get("alerts");
        assertThat(filtered).hasSize(1);
        assertThat(filtered.get(0).get("id").asText()).isEqualTo("venezuela.ep.1.elevated");

        assertThat(get("/api/alerts?level=severe").statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void streamSendsNewAlertsAndResumesAfterLastEventId() throws Exception {
        serve(null);
        List<String[]> firstRun = new ArrayList<>();
        try (Events events = open(null, "")) {
            feed.append(1, 1, alert("cuba", Level.HIGH, 2));
            firstRun.add(events.next());
        }
        assertThat(firstRun.get(0)[1]).contains("\"id\":\"cuba.ep.2.high\"");
        String lastSeen = firstRun.get(0)[0];
        assertThat(lastSeen).isEqualTo("0:2,1:2");

        // missed while disconnected
        feed.append(0, 2, alert("venezuela", Level.CRITICAL, 3));
        feed.append(1, 2, alert("cuba", Level.CRITICAL, 3));
        try (Events events = open(lastSeen, "?topic=venezuela")) {
            String[] missed = events.next();
            assertThat(missed[1]).contains("\"id\":\"venezuela.ep.3.critical\"");
            feed.append(0, 3, alert("venezuela", Level.NORMAL, 4));
            assertThat(events.next()[1]).contains("\"id\":\"venezuela.ep.4.normal\"");
        }
    }

    @Test
    void resumingFromTheBeginningReplaysWhatIsKept() throws Exception {
        serve(null);
        try (Events events = open("0:0", "")) {
            assertThat(events.next()[1]).contains("venezuela.ep.1.elevated");
            assertThat(events.next()[1]).contains("cuba.ep.1.elevated");
            assertThat(events.next()[1]).contains("venezuela.ep.2.high");
        }
    }

    @Test
    void recentStartsWithTheLastAlertsOldestFirstThenFollows() throws Exception {
        serve(null);
        try (Events events = open(null, "?recent=2")) {
            assertThat(events.next()[1]).contains("cuba.ep.1.elevated");
            assertThat(events.next()[1]).contains("venezuela.ep.2.high");
            feed.append(0, 3, alert("venezuela", Level.CRITICAL, 3));
            assertThat(events.next()[1]).contains("venezuela.ep.3.critical");
        }
        assertThat(get("/api/alerts/stream?recent=5000").statusCode()).isEqualTo(400);
    }

    @Test
    void changingSilencesNeedsTheBearerTokenAndReadingDoesNot() throws Exception {
        serve(new Secret(TOKEN, "test"));
        HttpResponse<String> list = get("/api/silences");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("routing-file-1", "exercise");

        String body = "{\"topic\":\"venezuela\",\"for\":\"1h\",\"reason\":\"drill\"}";
        HttpResponse<String> none = client.send(HttpRequest.newBuilder(uri("/api/silences")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(uri("/api/silences")).header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(TOKEN);
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri("/api/silences/routing-file-1")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(401);
        HttpResponse<String> fixed = client.send(HttpRequest.newBuilder(uri("/api/silences/routing-file-1")).header("Authorization", "Bearer " + TOKEN)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fixed.statusCode()).isEqualTo(409);
        assertThat(fixed.body()).contains("routing file");
    }

    @Test
    void withoutATokenSilencesAreReadOnly() throws Exception {
        serve(null);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/api/silences")).header("Authorization", "Bearer anything")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("--api-token-file");
    }

    @Test
    void receiversShowTheirStateAndNoUrl() throws Exception {
        serve(null);
        assertThat(get("/api/receivers").body()).contains("\"name\":\"ops\"", "\"state\":\"ok\"").doesNotContain("http");
    }

    private Events open(String lastEventId, String query) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/alerts/stream" + query));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        return new Events(r.body());
    }

    /** Reads server-sent events: id and data of each {@code alert} event. */
    private static final class Events implements AutoCloseable {
        private final InputStream in;
        private final BufferedReader reader;

        Events(InputStream in) {
            this.in = in;
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        String[] next() throws IOException {
            String id = null;
            String data = null;
            String event = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if ("alert".equals(event)) {
                        return new String[] {id, data};
                    }
                    id = null;
                    data = null;
                    event = null;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                }
            }
            throw new IOException("stream ended");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
