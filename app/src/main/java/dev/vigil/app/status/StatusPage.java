package dev.vigil.app.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.alerts.api.EventStream;
import dev.vigil.alerts.api.StreamBudget;
import dev.vigil.app.Replies;
import dev.vigil.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in status page: {@code /} (the page), {@code /status/...} (its script, style and the
 * vendored chart library, served from the classpath, no build step), {@code /api/status} (the
 * board as JSON) and {@code /api/status/stream} (server-sent events: a {@code snapshot}, then an
 * {@code update} whenever a score arrives or the five-second stats tick).
 */
public final class StatusPage {

    private static final String STREAM = "/api/status/stream";
    private static final Set<String> ASSETS = Set.of("app.js", "style.css", "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css");

    private final StatusBoard board;

    public StatusPage(StatusBoard board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    /**
     * The handlers to mount, by path prefix; {@link #home()} serves {@code /}. The event stream
     * takes its place in {@code streams}, the budget of the server that mounts them.
     */
    public Map<String, HttpHandler> handlers(StreamBudget streams) {
        StreamBudget.Endpoint endpoint = streams.endpoint(STREAM);
        Map<String, HttpHandler> out = new LinkedHashMap<>();
        out.put("/status/", this::asset);
        out.put("/api/status", ex -> api(ex, endpoint));
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

    private void api(HttpExchange ex, StreamBudget.Endpoint endpoint) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/api/status")) {
            Replies.send(ex, 200, "application/json", Json.mapper().writeValueAsString(board.snapshot()));
        } else if (path.equals(STREAM)) {
            stream(ex, endpoint);
        } else {
            Replies.send(ex, 404, "text/plain", "not found");
        }
    }

    private void stream(HttpExchange ex, StreamBudget.Endpoint endpoint) throws IOException {
        Optional<EventStream> opened = endpoint.open(ex);
        if (opened.isEmpty()) {
            return;
        }
        try (EventStream out = opened.get()) {
            StatusView.Snapshot snapshot = board.snapshot();
            out.event("snapshot", null, Json.mapper().writeValueAsString(snapshot));
            out.flush();
            long version = snapshot.version();
            while (board.isRunning()) {
                long now = board.awaitChange(version, EventStream.HEARTBEAT);
                if (now == version) {
                    out.heartbeat();
                    continue;
                }
                StatusView.Update update = board.since(version);
                out.event("update", null, Json.mapper().writeValueAsString(update));
                out.flush();
                version = update.version();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the page was closed: the normal end of a stream
        }
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
