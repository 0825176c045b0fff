package dev.vigil.app;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.alerts.api.StreamBudget;
import dev.vigil.model.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint every Vigil process serves: {@code /metrics} (Prometheus text format),
 * {@code /health/live} and {@code /health/ready}; a process running the alerts service also
 * mounts its API here ({@link #mount}), and {@code run} and {@code demo} the status page.
 *
 * <p>The server owns one {@link StreamBudget} for every event-stream endpoint mounted on it
 * ({@link #streams()}): an open stream holds a thread for as long as its client stays, so the pool
 * is the budget plus {@link #SHORT_REQUEST_THREADS}, and with every stream open the metrics, health
 * and ordinary API requests still have threads of their own.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    /** Event streams held at once, over the alerts API's and the status page's together. */
    public static final int STREAM_BUDGET = 48;
    /** Threads no stream can take: what /metrics, /health and ordinary requests always have. */
    static final int SHORT_REQUEST_THREADS = 16;
    /** Ordinary requests that wait for a thread when all of theirs are busy, before new ones are refused. */
    private static final int WAITING_REQUESTS = 256;

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final StreamBudget streams;
    private final List<String> mounted = new CopyOnWriteArrayList<>();
    private volatile HttpHandler home;

    private final String url;

    /**
     * @param bind where to listen; port 0 picks a free one
     */
    public OpsServer(InetSocketAddress bind, PrometheusMeterRegistry registry, Health health) throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(health, "health");
        server = HttpServer.create(bind, 0);
        streams = new StreamBudget(STREAM_BUDGET, registry);
        // core = max, so a request beyond the threads waits in the queue instead of being refused
        // (the JDK's server drops the connection of a task its executor rejects); idle threads go
        int threads = STREAM_BUDGET + SHORT_REQUEST_THREADS;
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(WAITING_REQUESTS), r -> {
            Thread t = new Thread(r, "vigil-ops-http");
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> Replies.send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", ex -> Replies.send(ex, 200, "application/json", "{\"status\":\"up\"}"));
        server.createContext("/health/ready", ex -> {
            Map<String, Boolean> checks = health.check();
            boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
            String body = Json.mapper().writeValueAsString(Map.of("status", ready ? "ready" : "not ready", "checks", checks));
            Replies.send(ex, ready ? 200 : 503, "application/json", body);
        });
        server.createContext("/", ex -> {
            HttpHandler page = home;
            if (page != null) {
                page.handle(ex);
                return;
            }
            if (!ex.getRequestURI().getPath().equals("/")) {
                Replies.send(ex, 404, "text/plain", "not found");
                return;
            }
            Replies.send(ex, 200, "text/html; charset=utf-8", "<!doctype html><title>Vigil</title><h1>Vigil</h1><ul>"
                    + "<li><a href=\"/metrics\">/metrics</a></li><li><a href=\"/health/ready\">/health/ready</a></li>"
                    + "<li><a href=\"/health/live\">/health/live</a></li>"
                    + (mounted.isEmpty() ? "" : mounted.stream().map(p -> "<li><a href=\"" + p + "\">" + p + "</a></li>").collect(Collectors.joining()))
                    + "</ul>");
        });
        server.start();
        url = "http://" + bind.getHostString() + ":" + port() + "/";
        log.info("http: metrics and health on {}", url);
    }

    /** The budget of event streams every stream endpoint on this server shares. */
    public StreamBudget streams() {
        return streams;
    }

    /** Serves more handlers (the alerts API) on this server, by path prefix. */
    public void mount(Map<String, HttpHandler> handlers) {
        handlers.forEach((path, handler) -> {
            server.createContext(path, handler);
            mounted.add(path);
        });
        log.info("http: serving {} on port {}", handlers.keySet(), port());
    }

    /** Serves {@code /} with this handler instead of the list of endpoints (the status page does). */
    public void home(HttpHandler handler) {
        this.home = Objects.requireNonNull(handler, "handler");
        log.info("http: status page on {}", url);
    }

    public int port() {
        return server.getAddress().getPort();
    }


    /** Stops listening and ends the open event streams (their threads are interrupted). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
