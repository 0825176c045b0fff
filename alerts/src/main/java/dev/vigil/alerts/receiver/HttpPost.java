package dev.vigil.alerts.receiver;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP POST to a receiver, and what its outcome means: 2xx is delivered; 5xx, 429, timeouts
 * and connection failures may be retried (after {@code Retry-After} when the receiver gives
 * one); 410 means the receiver is gone; any other status, a redirect included, is permanent.
 * Redirects are never followed: a receiver that moved must be reconfigured, not chased. No
 * message ever holds the URL, which may carry a token.
 */
final class HttpPost {

    private final Secret url;
    private final URI uri;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;

    HttpPost(Secret url, Duration timeout, Clock clock) {
        this.url = Objects.requireNonNull(url, "url");
        this.uri = requireHttpUrl(url);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Parses an absolute http(s) URL held as a secret; the error never repeats it. */
    static URI requireHttpUrl(Secret url) {
        try {
            URI uri = new URI(url.reveal());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below without the value
        }
        throw new IllegalArgumentException("url (" + url.origin() + "): expected an absolute http(s) URL");
    }

    void post(String contentType, Map<String, String> headers, byte[] body) throws Channel.DeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("User-Agent", "Vigil/0.1 alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "connection failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        if (status == 410) {
            throw new Channel.DeliveryException(Channel.Failure.GONE, "HTTP 410 Gone");
        }
        if (status == 429 || status >= 500) {
            Optional<Duration> retryAfter = response.headers().firstValue("Retry-After").flatMap(v -> retryAfter(v, clock.instant()));
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "HTTP " + status
                    + retryAfter.map(d -> " (Retry-After " + d.toSeconds() + " s)").orElse(""), retryAfter.orElse(null));
        }
        if (status / 100 == 3) {
            throw new Channel.DeliveryException(Channel.Failure.PERMANENT, "HTTP " + status + " redirect, not followed");
        }
        throw new Channel.DeliveryException(Channel.Failure.PERMANENT, "HTTP " + status);
    }

    /**
     * Reads a {@code Retry-After} value: delay-seconds or an HTTP date. A value that is neither, or
     * a date in the past, gives nothing (the caller falls back to its own backoff).
     */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Optional.of(Duration.between(now, at)) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The exception's kind and, unless it could reveal part of the URL, its message. */
    private String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return kind;
        }
        String secret = url.reveal();
        boolean leaks = message.contains(secret)
                || (uri.getRawPath() != null && uri.getRawPath().length() > 1 && message.contains(uri.getRawPath()))
                || (uri.getRawQuery() != null && message.contains(uri.getRawQuery()))
                || (uri.getRawUserInfo() != null && message.contains(uri.getRawUserInfo()));
        return leaks ? kind : kind + ": " + message.replaceAll("[\\p{Cntrl}]+", " ").strip();
    }
}
