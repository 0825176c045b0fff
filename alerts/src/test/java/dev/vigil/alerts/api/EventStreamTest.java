package dev.vigil.alerts.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one event-stream writer and the stream budget on a real loopback server: framing, refusal, a client that went away. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventStreamTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StreamBudget budget = new StreamBudget(1, registry);
    private final StreamBudget.Endpoint endpoint = budget.endpoint("/t");
    private final HttpClient client = HttpClient.newHttpClient();
    /** Lets the handler end its stream; until then it sends heartbeats, which is how it finds a client gone. */
    private final CountDownLatch finish = new CountDownLatch(1);
    private final AtomicReference<Throwable> handlerFailure = new AtomicReference<>();
    /** Counted down when a handler's stream has ended (and its place in the budget is back). */
    private final CountDownLatch ended = new CountDownLatch(1);
    private HttpServer server;

    private void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/t", ex -> {
            Optional<EventStream> opened = endpoint.open(ex);
            if (opened.isEmpty()) {
                return;
            }
            try (EventStream out = opened.get()) {
                out.event("note", "7", "a\nb\r\nc\rd\n");
                out.event("note", null, "café ✓");
                out.comment("two\nlines");
                out.flush();
                for (String[] bad : new String[][] {{"bad\nname", null}, {"note", "1\r2"}, {"note", "1\0" + "2"}}) {
                    try {
                        out.event(bad[0], bad[1], "x");
                    } catch (IllegalArgumentException e) {
                        out.comment("refused: " + e.getMessage().replace("\\", "/"));
                    }
                }
                out.comment("end");
                out.flush();
                while (out.isOpen() && !finish.await(20, TimeUnit.MILLISECONDS)) {
                    out.heartbeat();
                }
            } catch (IOException e) {
                // the client went away: what this test makes happen
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                handlerFailure.set(e);
            } finally {
                ended.countDown();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        finish.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private HttpResponse<InputStream> open() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/t");
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The body up to and including the comment {@code : end}. */
    private static String readToEnd(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[512];
        while (text.indexOf(": end\n\n") < 0) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("stream ended before ': end'; read " + text);
            }
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return text.substring(0, text.indexOf(": end\n\n") + ": end\n\n".length());
    }

    @Test
    void framesEveryLineOfDataAndEveryLineOfACommentAndRefusesALineBreakInAName() throws Exception {
        serve();
        HttpResponse<InputStream> r = open();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        try (InputStream in = r.body()) {
            assertThat(readToEnd(in)).isEqualTo("retry: 3000\n: vigil /t\n\n"
                    // CR, LF and CRLF each end a data line; the trailing break survives as an empty last line
                    + "event: note\nid: 7\ndata: a\ndata: b\ndata: c\ndata: d\ndata: \n\n"
                    + "event: note\ndata: café ✓\n\n"
                    + ": two\n: lines\n\n"
                    + ": refused: name: must be one line, found a line break in 'bad/nname'\n\n"
                    + ": refused: id: must be one line, found a line break in '1/r2'\n\n"
                    + ": refused: id: must not contain NUL\n\n"
                    + ": end\n\n");
        }
        assertThat(handlerFailure.get()).isNull();
    }

    @Test
    void aStreamBeyondTheBudgetIsRefusedAndAGoneClientGivesItsPlaceBack() throws Exception {
        serve();
        HttpResponse<InputStream> first = open();
        assertThat(first.statusCode()).isEqualTo(200);
        readToEnd(first.body());
        assertThat(budget.open()).isEqualTo(1);
        assertThat(registry.get(StreamBudget.OPEN).tag("endpoint", "/t").gauge().value()).isEqualTo(1.0);

        HttpResponse<InputStream> refused = open();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        try (InputStream in = refused.body()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("too many open event streams", "holds 1 at once");
        }
        assertThat(registry.get(StreamBudget.REFUSED).tag("endpoint", "/t").functionCounter().count()).isEqualTo(1.0);

        // the client goes away without a word: the next heartbeats fail, the stream ends and frees its place
        first.body().close();
        assertThat(ended.await(20, TimeUnit.SECONDS)).as("the server to notice the closed client and end the stream").isTrue();
        assertThat(budget.open()).isZero();
        assertThat(registry.get(StreamBudget.OPEN).tag("endpoint", "/t").gauge().value()).isZero();
        HttpResponse<InputStream> again = open();
        assertThat(again.statusCode()).isEqualTo(200);
        again.body().close();
    }
}
