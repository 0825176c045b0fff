package dev.vigil.alerts.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One server-sent-events response on the JDK's HTTP server, framed as the HTML standard's
 * {@code text/event-stream}: every stream endpoint (the alerts API's, the status page's) writes
 * through this class. Opened by {@link StreamBudget.Endpoint#open}, which holds the stream's place
 * in its server's budget until {@link #close()}.
 *
 * <pre>{@code
 * Optional<EventStream> opened = endpoint.open(exchange); // empty: already answered 503
 * if (opened.isPresent()) {
 *     try (EventStream out = opened.get()) {
 *         out.event("alert", "0:12", json);
 *         out.flush();
 *         // ... then out.heartbeat() whenever nothing happened for HEARTBEAT, until an IOException
 *     }
 * }
 * }</pre>
 *
 * A client that went away shows as an {@link IOException} from the next write or flush (a
 * {@link #heartbeat()} at least every {@link #HEARTBEAT} finds it out), after which
 * {@link #isOpen()} is false: the normal end of a stream, for the caller to end its loop on.
 */
public final class EventStream implements AutoCloseable {

    /** How often a quiet stream sends a comment, so proxies keep it and a gone client is noticed. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** How long a browser's {@code EventSource} waits before it reconnects. */
    static final Duration RECONNECT = Duration.ofSeconds(3);
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private final HttpExchange exchange;
    private final OutputStream out;
    private final Runnable release;
    private boolean open = true;
    private boolean closed;

    private EventStream(HttpExchange exchange, Runnable release) {
        this.exchange = exchange;
        this.out = exchange.getResponseBody();
        this.release = release;
    }

    /**
     * Sends the 200 and the event-stream headers, then the reconnect delay; {@code release} runs
     * once, when the stream is closed (or when starting it fails).
     */
    static EventStream start(HttpExchange exchange, String name, Runnable release) throws IOException {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(release, "release");
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            // nginx buffers responses unless told not to; a buffered event stream is a silent one
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            exchange.sendResponseHeaders(200, 0);
        } catch (IOException | RuntimeException e) {
            release.run();
            exchange.close();
            throw e;
        }
        EventStream stream = new EventStream(exchange, release);
        stream.write("retry: " + RECONNECT.toMillis() + "\n");
        stream.comment("vigil " + name);
        stream.flush();
        return stream;
    }

    /**
     * Writes one event: {@code event:} its name, {@code id:} when {@code id} is not null, and one
     * {@code data:} line per line of {@code data} (CR, LF and CRLF all break a line; the client
     * joins them back with LF). Buffered until {@link #flush()}.
     *
     * @throws IllegalArgumentException when the name or id holds a line break (it would end the
     *                                  field), or the id a NUL (the client would drop it); nothing is written then
     */
    public void event(String name, String id, String data) throws IOException {
        Objects.requireNonNull(data, "data");
        StringBuilder frame = new StringBuilder(data.length() + 64);
        frame.append("event: ").append(field("name", Objects.requireNonNull(name, "name"))).append('\n');
        if (id != null) {
            // a NUL in an id makes the client ignore the field (HTML standard, "id" field)
            if (id.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("id: must not contain NUL");
            }
            frame.append("id: ").append(field("id", id)).append('\n');
        }
        for (String line : LINE_BREAK.split(data, -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        write(frame.append('\n').toString());
    }

    /** Writes a comment (ignored by clients), one {@code :} line per line of {@code text}. */
    public void comment(String text) throws IOException {
        StringBuilder frame = new StringBuilder();
        for (String line : LINE_BREAK.split(Objects.requireNonNull(text, "text"), -1)) {
            frame.append(": ").append(line).append('\n');
        }
        write(frame.append('\n').toString());
    }

    /** A comment, flushed: what a stream sends when nothing happened for {@link #HEARTBEAT}. */
    public void heartbeat() throws IOException {
        comment("keepalive");
        flush();
    }

    /** Sends what was written to the client now. */
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            open = false;
            throw e;
        }
    }

    /** False once a write found the client gone, or after {@link #close()}. */
    public boolean isOpen() {
        return open && !closed;
    }

    /** Ends the response and gives the stream's place in the budget back; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // ends the chunked body when the client is still there; a gone client is closed all the same
            exchange.close();
        } finally {
            release.run();
        }
    }

    private void write(String text) throws IOException {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            open = false;
            throw e;
        }
    }

    private static String field(String what, String value) {
        if (LINE_BREAK.matcher(value).find()) {
            throw new IllegalArgumentException(what + ": must be one line, found a line break in '" + value.replace("\r", "\\r").replace("\n", "\\n") + "'");
        }
        return value;
    }
}
