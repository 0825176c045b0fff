package dev.vigil.alerts.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.alerts.receiver.Secret;
import dev.vigil.alerts.silence.SilenceStore;
import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.model.Level;
import dev.vigil.model.LogText;
import dev.vigil.model.Silence;
import dev.vigil.model.SilenceId;
import dev.vigil.model.TopicName;
import dev.vigil.model.config.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts service's HTTP API, as handlers for the JDK's HTTP server; the process that runs
 * the service mounts them (see {@link #handlers()}):
 * <ul>
 * <li>{@code GET /api/alerts?topic=&level=&limit=}: recent alerts, newest first;</li>
 * <li>{@code GET /api/alerts/stream?topic=&level=&recent=}: server-sent events, one {@code alert} event
 *     per alert, resumable with {@code Last-Event-ID} (see {@link AlertFeed}); {@code recent=N} starts
 *     with the last N alerts, so a page needs no separate fetch (and no gap between the two);</li>
 * <li>{@code GET /api/silences}: the silences in force; {@code POST /api/silences} adds one and
 *     {@code DELETE /api/silences/ID} removes one, both with {@code Authorization: Bearer TOKEN};</li>
 * <li>{@code GET /api/receivers}: each receiver's state (ok, failing, disabled), never its URL.</li>
 * </ul>
 */
public final class AlertsApi {

    private static final Logger log = LoggerFactory.getLogger(AlertsApi.class);
    private static final String STREAM = "/api/alerts/stream";
    private static final int MAX_BODY = 64 * 1024;

    private final AlertFeed feed;
    private final SilenceStore silences;
    private final Supplier<List<ReceiverStatus>> receivers;
    private final Secret token;
    private final Clock clock;

    /** @param token the bearer token for changing silences; null makes them read-only here */
    public AlertsApi(AlertFeed feed, SilenceStore silences, Supplier<List<ReceiverStatus>> receivers, Secret token, Clock clock) {
        this.feed = Objects.requireNonNull(feed, "feed");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.receivers = Objects.requireNonNull(receivers, "receivers");
        this.token = token;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Path prefix → handler, for {@code HttpServer.createContext}; the event stream takes its
     * place in {@code streams}, the budget of the server that mounts them.
     */
    public Map<String, HttpHandler> handlers(StreamBudget streams) {
        StreamBudget.Endpoint endpoint = streams.endpoint(STREAM);
        Map<String, HttpHandler> out = new LinkedHashMap<>();
        out.put("/api/alerts", guarded(this::alerts));
        out.put(STREAM, guarded(ex -> stream(ex, endpoint)));
        out.put("/api/silences", guarded(this::silences));
        out.put("/api/receivers", guarded(this::receivers));
        return out;
    }

    /** A bad request or a refusal, with its status. */
    private static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException, ApiError;
    }

    private HttpHandler guarded(Handler handler) {
        return exchange -> {
            // the exchange closes after the error reply (a try-with-resources would close it before the catch)
            try (exchange) {
                try {
                    handler.handle(exchange);
                } catch (ApiError e) {
                    send(exchange, e.status, Map.of("error", e.getMessage()));
                } catch (RuntimeException e) {
                    log.warn("api: {} {} failed: {}", LogText.of(exchange.getRequestMethod()), LogText.of(exchange.getRequestURI().getPath()), LogText.of(e.toString()));
                    send(exchange, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName()));
                }
            }
        };
    }

    private void alerts(HttpExchange ex) throws IOException, ApiError {
        requireMethod(ex, "GET");
        if (!ex.getRequestURI().getPath().equals("/api/alerts")) {
            throw new ApiError(404, "not found");
        }
        Map<String, String> q = query(ex);
        Predicate<Alert> filter = filter(q);
        int limit = intParam(q, "limit", 100, 1, 1000);
        List<Alert> alerts = feed.recent(filter, limit).stream().map(AlertFeed.Entry::alert).toList();
        send(ex, 200, Map.of("alerts", alerts));
    }

    private void stream(HttpExchange ex, StreamBudget.Endpoint endpoint) throws IOException, ApiError {
        requireMethod(ex, "GET");
        Map<String, String> q = query(ex);
        Predicate<Alert> filter = filter(q);
        Integer recent = q.containsKey("recent") ? intParam(q, "recent", 10, 0, 1000) : null;
        // "from now" is before the client sees the response: an alert appended once it has the
        // headers is one it must get
        long now = feed.lastSeq();
        Optional<EventStream> opened = endpoint.open(ex);
        if (opened.isEmpty()) {
            return;
        }
        try (EventStream out = opened.get()) {
            String last = Optional.ofNullable(ex.getRequestHeaders().getFirst("Last-Event-ID")).orElse(q.get("lastEventId"));
            long seq;
            if (last != null && !last.isBlank()) {
                AlertFeed.Resume resume = feed.resume(last);
                for (AlertFeed.Entry e : resume.missed()) {
                    event(out, e, filter);
                }
                seq = resume.seq();
            } else if (recent != null) {
                AlertFeed.Resume latest = feed.latest(filter, recent);
                for (AlertFeed.Entry e : latest.missed()) {
                    event(out, e, filter);
                }
                seq = latest.seq();
            } else {
                seq = now;
            }
            out.flush();
            while (!feed.isClosed()) {
                List<AlertFeed.Entry> next = feed.await(seq, EventStream.HEARTBEAT);
                if (next.isEmpty()) {
                    out.heartbeat();
                    continue;
                }
                for (AlertFeed.Entry e : next) {
                    event(out, e, filter);
                    seq = e.seq();
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away: the normal end of a stream
        }
    }

    private static void event(EventStream out, AlertFeed.Entry e, Predicate<Alert> filter) throws IOException {
        if (filter.test(e.alert())) {
            out.event("alert", e.eventId(), Json.mapper().writeValueAsString(e.alert()));
        }
    }

    private void silences(HttpExchange ex) throws IOException, ApiError {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        if (path.equals("/api/silences") || path.equals("/api/silences/")) {
            if (method.equals("GET")) {
                send(ex, 200, Map.of("silences", silences.active(clock.instant())));
            } else if (method.equals("POST")) {
                authorize(ex);
                Silence created = silences.add(silenceFrom(body(ex)));
                log.info("api: silence {} added", created.id());
                send(ex, 201, created);
            } else {
                ex.getResponseHeaders().set("Allow", "GET, POST");
                throw new ApiError(405, "method not allowed");
            }
            return;
        }
        String id = path.substring("/api/silences/".length());
        if (!method.equals("DELETE")) {
            ex.getResponseHeaders().set("Allow", "DELETE");
            throw new ApiError(405, "method not allowed");
        }
        authorize(ex);
        SilenceId silenceId;
        try {
            silenceId = new SilenceId(id);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
        boolean removed;
        try {
            removed = silences.remove(silenceId);
        } catch (IllegalArgumentException e) {
            throw new ApiError(409, e.getMessage());
        }
        if (!removed) {
            throw new ApiError(404, "no silence " + silenceId + " is in force");
        }
        log.info("api: silence {} removed", LogText.of(silenceId));
        send(ex, 204, null);
    }

    private void receivers(HttpExchange ex) throws IOException, ApiError {
        requireMethod(ex, "GET");
        send(ex, 200, Map.of("receivers", receivers.get()));
    }

    /** Bearer token check, in constant time; the token is never echoed. */
    private void authorize(HttpExchange ex) throws ApiError {
        if (token == null) {
            throw new ApiError(403, "changing silences over HTTP is off: start the alerts service with an API token (--api-token-file or VIGIL_API_TOKEN)");
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (!token.matches(given)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil\"");
            throw new ApiError(401, "a valid bearer token is required");
        }
    }

    private Silence silenceFrom(JsonNode body) throws ApiError {
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "expected a JSON object with topic and/or level, until or for, and reason");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("topic", "level", "until", "for", "reason").contains(f)) {
                throw new ApiError(400, "unknown field '" + f + "'; expected topic, level, until, for, reason");
            }
        }
        Instant now = clock.instant();
        try {
            TopicName topic = body.hasNonNull("topic") ? new TopicName(body.get("topic").asText()) : null;
            Level level = body.hasNonNull("level") ? Level.fromWireName(body.get("level").asText().toLowerCase(Locale.ROOT)) : null;
            Instant until;
            if (body.hasNonNull("until") == body.hasNonNull("for")) {
                throw new ApiError(400, "give exactly one of until (a date-time) or for (a duration such as 4h)");
            } else if (body.hasNonNull("until")) {
                until = OffsetDateTime.parse(body.get("until").asText()).toInstant();
            } else {
                Duration d = ConfigNode.parseDuration(body.get("for").asText())
                        .orElseThrow(() -> new ApiError(400, "for: expected a duration such as 30m, 4h or 2d"));
                until = now.plus(d);
            }
            if (!until.isAfter(now)) {
                throw new ApiError(400, "until: expected a time in the future");
            }
            String reason = body.hasNonNull("reason") ? body.get("reason").asText() : "";
            return new Silence(Silence.SCHEMA_VERSION, SilenceId.random(), topic, level, until, reason.strip(), "api", now);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "until: expected a date-time such as 2026-12-01T00:00:00Z");
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private static JsonNode body(HttpExchange ex) throws IOException, ApiError {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ApiError(413, "request body larger than " + MAX_BODY + " bytes");
            }
            return Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Predicate<Alert> filter(Map<String, String> q) throws ApiError {
        try {
            TopicName topic = q.containsKey("topic") ? new TopicName(q.get("topic")) : null;
            Level level = q.containsKey("level") ? Level.fromWireName(q.get("level").toLowerCase(Locale.ROOT)) : null;
            return a -> (topic == null || topic.equals(a.data().topic())) && (level == null || level == a.data().level());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private static int intParam(Map<String, String> q, String name, int dflt, int min, int max) throws ApiError {
        if (!q.containsKey(name)) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(q.get(name));
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiError(400, name + ": expected a whole number from " + min + " to " + max);
    }

    private static void requireMethod(HttpExchange ex, String method) throws ApiError {
        if (!ex.getRequestMethod().equalsIgnoreCase(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new ApiError(405, "method not allowed");
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
