package dev.vigil.app;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint every Vigil process serves: {@code /metrics} (Prometheus text format),
 * {@code /health/live} and {@code /health/ready}.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;

    /**
     * @param bind where to listen; port 0 picks a free one
     */
    public OpsServer(InetSocketAddress bind, PrometheusMeterRegistry registry, Health health) throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(health, "health");
        server = HttpServer.create(bind, 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "vigil-ops-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> Replies.send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", ex -> Replies.send(ex, 200, "application/json", "{\"status\":\"up\"}"));
        server.createContext("/health/ready", ex -> {
            Map<String, Boolean> checks = health.check();
            boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
            String body = Json.mapper().writeValueAsString(Map.of("status", ready ? "ready" : "not ready", "checks", checks));
            Replies.send(ex, ready ? 200 : 503, "application/json", body);
        });
        server.createContext("/", ex -> {
            if (!ex.getRequestURI().getPath().equals("/")) {
                Replies.send(ex, 404, "text/plain", "not found");
                return;
            }
            Replies.send(ex, 200, "text/html; charset=utf-8", "<!doctype html><title>Vigil</title><h1>Vigil</h1><ul>"
                    + "<li><a href=\"/metrics\">/metrics</a></li><li><a href=\"/health/ready\">/health/ready</a></li>"
                    + "<li><a href=\"/health/live\">/health/live</a></li></ul>");
        });
        server.start();
        log.info("http: metrics and health on http://{}:{}/", bind.getHostString(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }


    @Override
    public void close() {
        server.stop(0);
    }
}
