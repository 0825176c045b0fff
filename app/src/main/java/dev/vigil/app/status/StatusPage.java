package dev.vigil.app.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.app.Replies;
import dev.vigil.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The built-in status page: {@code /} (the page), {@code /status/...} (its script, style and the
 * vendored chart library, served from the classpath, no build step), {@code /api/status} (the
 * board as JSON) and {@code /api/status/stream} (server-sent events: a {@code snapshot}, then an
 * {@code update} whenever a score arrives or the five-second stats tick).
 */
public final class StatusPage {

    private static final Duration KEEPALIVE = Duration.ofSeconds(15);
    private static final int MAX_STREAMS = 16;
    private static final Set<String> ASSETS = Set.of("app.js", "style.css", "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css");

    private final StatusBoard board;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    public StatusPage(StatusBoard board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    /** The handlers to mount, by path prefix; {@link #home()} serves {@code /}. */
    public Map<String, HttpHandler> handlers() {
        Map<String, HttpHandler> out = new LinkedHashMap<>();
        out.put("/status/", this::asset);
        out.put("/api/status", this::api);
        return out;
    }

    /** The page itself. */
    public HttpHandler home() {
        return ex -> {
            if (!ex.getRequestURI().getPath().equals("/")) {
                Replies.send(ex, 404, "text/plain", "not found");
                return;
            }
            sendResource(ex, "index.html", "text/html; charset=utf-8");
        };
    }

    private void asset(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring("/status/".length());
        if (!ASSETS.contains(name)) {
            Replies.send(ex, 404, "text/plain", "not found");
            return;
        }
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        sendResource(ex, name, type);
    }

    private void api(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/api/status")) {
            Replies.send(ex, 200, "application/json", Json.mapper().writeValueAsString(board.snapshot()));
        } else if (path.equals("/api/status/stream")) {
            stream(ex);
        } else {
            Replies.send(ex, 404, "text/plain", "not found");
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        if (!streams.tryAcquire()) {
            Replies.send(ex, 503, "text/plain", "too many status streams open; try again later");
            return;
        }
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            StatusView.Snapshot snapshot = board.snapshot();
            event(out, "snapshot", Json.mapper().writeValueAsString(snapshot));
            long version = snapshot.version();
            while (true) {
                long now = board.awaitChange(version, KEEPALIVE);
                if (now == version) {
                    out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    StatusView.Update update = board.since(version);
                    event(out, "update", Json.mapper().writeValueAsString(update));
                    version = update.version();
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the page was closed: the normal end of a stream
        } finally {
            streams.release();
        }
    }

    private static void event(OutputStream out, String name, String json) throws IOException {
        out.write(("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendResource(HttpExchange ex, String name, String type) throws IOException {
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/" + name)) {
            if (in == null) {
                Replies.send(ex, 500, "text/plain", "the status page's " + name + " is missing from the build");
                return;
            }
            byte[] bytes = in.readAllBytes();
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", type);
                ex.getResponseHeaders().set("Cache-Control", "no-cache");
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
            }
        }
    }
}
