package dev.vigil.alerts.api;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many long-lived event streams one HTTP server holds at once, over all its stream endpoints
 * together. Every open stream holds one of the server's threads for as long as its client stays,
 * so the server that owns the budget sizes its pool as the budget plus threads for ordinary
 * requests: with every stream open, {@code /metrics} and {@code /health} still answer. A stream
 * beyond the budget is answered 503 with {@code Retry-After}.
 *
 * <pre>{@code
 * StreamBudget budget = new StreamBudget(48, registry);
 * StreamBudget.Endpoint alerts = budget.endpoint("/api/alerts/stream");
 * Optional<EventStream> out = alerts.open(exchange); // empty: refused with 503
 * }</pre>
 *
 * Meters (the budget's own, as it is the server's and not one service's): {@value #OPEN} (gauge,
 * open streams by {@code endpoint}), {@value #REFUSED} (counter, streams refused because the budget
 * was full, by {@code endpoint}) and {@value #LIMIT} (gauge, the budget).
 */
public final class StreamBudget {

    public static final String OPEN = "vigil.http.streams";
    public static final String REFUSED = "vigil.http.streams.refused";
    public static final String LIMIT = "vigil.http.streams.limit";
    /** What a refused client is told to wait before it tries again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final int limit;
    private final Semaphore permits;
    private final MeterRegistry registry;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public StreamBudget(int limit, MeterRegistry registry) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: expected at least 1, found " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder(LIMIT, () -> limit).description("Event streams the HTTP server holds at once, over all its stream endpoints")
                .register(registry);
    }

    public int limit() {
        return limit;
    }

    /** Streams open now, over every endpoint. */
    public int open() {
        return limit - permits.availablePermits();
    }

    /** The stream endpoint at {@code path}, sharing this budget; the same object for the same path. */
    public Endpoint endpoint(String path) {
        return endpoints.computeIfAbsent(Objects.requireNonNull(path, "path"), Endpoint::new);
    }

    /** One path that serves event streams, counted on its own and within the budget. */
    public final class Endpoint {

        private final String path;
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicLong refused = new AtomicLong();

        private Endpoint(String path) {
            this.path = path;
            Gauge.builder(OPEN, open, AtomicInteger::get).description("Open server-sent-event streams").tag("endpoint", path).register(registry);
            FunctionCounter.builder(REFUSED, refused, AtomicLong::get).description("Event streams refused with 503 because every stream the server holds was open")
                    .tag("endpoint", path).register(registry);
        }

        /**
         * Starts an event stream on {@code exchange} (200, the event-stream headers), or, when the
         * budget is full, answers 503 with {@code Retry-After} and a message naming the budget,
         * closes the exchange and returns empty. Whatever the caller must fix as "the stream starts
         * here" (a position in a feed) it takes before this call: the client can see events from the
         * moment this returns.
         */
        public Optional<EventStream> open(HttpExchange exchange) throws IOException {
            if (!permits.tryAcquire()) {
                refused.incrementAndGet();
                refuse(exchange);
                return Optional.empty();
            }
            open.incrementAndGet();
            return Optional.of(EventStream.start(exchange, path, () -> {
                open.decrementAndGet();
                permits.release();
            }));
        }

        /** Streams open now at this endpoint. */
        public int openNow() {
            return open.get();
        }

        private void refuse(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = ("{\"error\":\"too many open event streams: this server holds " + limit
                        + " at once, over all its stream endpoints; try again later\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Retry-After", Long.toString(RETRY_AFTER.toSeconds()));
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
