package dev.vigil.alerts;

import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.model.net.HostResolver;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1 whose answers a test scripts: each request takes the next
 * scripted {@link Reply}, or 204 when the script is used up. It keeps every request it saw.
 */
public final class LoopbackReceiver implements AutoCloseable {

    /** The egress guard these tests deliver through: the default rules, with 127.0.0.1 (where every receiver listens) allowed. */
    public static final EgressGuard GUARD = new EgressGuard(EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.1/32"))),
            HostResolver.system(), "allowed in tests");

    /** One scripted answer. */
    public record Reply(int status, Map<String, String> headers, CountDownLatch holdUntil) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), null);
        }

        public static Reply status(int status, String header, String value) {
            return new Reply(status, Map.of(header, value), null);
        }

        /** Does not answer until the latch opens (the client times out first). */
        public static Reply hang(CountDownLatch latch) {
            return new Reply(204, Map.of(), latch);
        }
    }

    /** A request as received. */
    public record Request(Instant at, Headers headers, byte[] body, int answeredWith) {
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Reply fallback = Reply.status(204);
    private final Clock clock;

    public LoopbackReceiver() throws IOException {
        this(Clock.systemUTC(), 0);
    }

    /**
     * @param clock what a request's {@link Request#at()} is read from
     * @param port  the port on 127.0.0.1, or 0 for any free one (a receiver back after an outage takes its old one)
     */
    public LoopbackReceiver(Clock clock, int port) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Reply reply = script.poll();
            if (reply == null) {
                reply = fallback;
            }
            if (reply.holdUntil() != null) {
                try {
                    reply.holdUntil().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            requests.add(new Request(clock.instant(), exchange.getRequestHeaders(), body, reply.status()));
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), -1);
        }
    }

    /** Queues answers for the next requests. */
    public LoopbackReceiver then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** The answer once the script is used up. */
    public LoopbackReceiver otherwise(Reply reply) {
        fallback = reply;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> accepted() {
        return requests.stream().filter(r -> r.answeredWith() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
