package dev.vigil.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server with one tiny handler per path, for tests. It records every request
 * path, so a test can assert what was (or was never) asked for.
 */
public final class FixtureServer implements AutoCloseable {

    record Reply(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fixture-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final String host;

    public FixtureServer() throws IOException {
        this("127.0.0.1", 0);
    }

    /** A server on another loopback address (127.0.0.2…) and, optionally, a given port. */
    public FixtureServer(String address, int port) throws IOException {
        host = address;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public FixtureServer route(String path, int status, String contentType, String body) {
        routes.put(path, ex -> send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public FixtureServer route(String path, HttpHandler handler) {
        routes.put(path, handler);
        return this;
    }

    public FixtureServer redirect(String path, int status, String location) {
        return route(path, ex -> {
            ex.getResponseHeaders().set("Location", location);
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
    }

    public URI uri(String path) {
        return URI.create("http://" + host + ":" + port() + path);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The paths requested so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public long requestsFor(String path) {
        return requests.stream().filter(path::equals).count();
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        HttpHandler h = routes.getOrDefault(path, ex -> send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8)));
        try {
            h.handle(exchange);
        } catch (IOException e) {
            exchange.close();   // the client went away (a test of aborts): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
