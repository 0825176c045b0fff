package dev.vigil.app;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.alerts.receiver.WebhookSignature;
import dev.vigil.model.Alert;
import dev.vigil.model.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A webhook receiver on loopback as a subscriber would write one: it verifies every request's
 * Standard Webhooks signature and de-duplicates on {@code webhook-id}. It can be "down"
 * (answering 503), and can run a hook when a request arrives, before it answers (to crash the
 * sender between sending and committing).
 */
final class SigningReceiver implements AutoCloseable {

    /** One request: its webhook-id, whether the signature verified, the status answered. */
    record Request(String webhookId, boolean verified, int status, Alert alert, Instant at) {
    }

    private final HttpServer server;
    private final WebhookSignature verifier;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile Consumer<Request> beforeAnswer = r -> { };

    SigningReceiver(String secret) throws IOException {
        verifier = WebhookSignature.of(List.of(secret));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-signing-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/hook", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String id = exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER);
                boolean verified;
                try {
                    verifier.verify(id, exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                            exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER), body, Instant.now());
                    verified = true;
                } catch (WebhookSignature.InvalidSignatureException e) {
                    verified = false;
                }
                int status = !verified ? 401 : down ? 503 : 204;
                Request request = new Request(id, verified, status, Topics.ALERTS.value(body), Instant.now());
                requests.add(request);
                beforeAnswer.accept(request);
                exchange.sendResponseHeaders(status, -1);
            } catch (IOException e) {
                // the sender went away before the answer (it was killed): expected in the crash test
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    void down(boolean down) {
        this.down = down;
    }

    void beforeAnswer(Consumer<Request> hook) {
        this.beforeAnswer = hook;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The webhook-ids it accepted (2xx), each once: what a de-duplicating subscriber keeps. */
    Set<String> acceptedIds() {
        return requests.stream().filter(r -> r.status() / 100 == 2).map(Request::webhookId).collect(Collectors.toSet());
    }

    long acceptedRequests() {
        return requests.stream().filter(r -> r.status() / 100 == 2).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
