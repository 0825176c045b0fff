package dev.vigil.alerts.receiver;

import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.net.GuardedDns;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
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
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * One HTTP POST to a receiver, and what its outcome means: 2xx is delivered; 5xx, 429, timeouts
 * and connection failures may be retried (after {@code Retry-After} when the receiver gives
 * one); 410 means the receiver is gone; any other status, a redirect included, is permanent.
 * Redirects are never followed: a receiver that moved must be reconfigured, not chased. Every
 * connection goes through the {@link EgressGuard}: the client's resolver is the guard, so the
 * address checked is the address connected to (a name that rebinds to an internal address after
 * a check gets nowhere), and an address literal is checked before the client runs. A refused
 * address is a permanent failure. No message ever holds the URL, which may carry a token.
 */
final class HttpPost implements AutoCloseable {

    private final Secret url;
    private final URI uri;
    private final Duration timeout;
    private final Clock clock;
    private final EgressGuard guard;
    private final CloseableHttpClient client;

    HttpPost(Secret url, Duration timeout, Clock clock, EgressGuard guard) {
        this.url = Objects.requireNonNull(url, "url");
        this.uri = requireHttpUrl(url);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDns(guard))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(timeout))
                                .setSocketTimeout(Timeout.of(timeout))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build())
                .setUserAgent("Vigil/0.1 alerts")
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
    }

    /**
     * Parses an absolute http(s) URL held as a secret; the error never repeats it. A URL with
     * {@code user:pass@} is refused: Vigil never sends such credentials, and a secret does not
     * belong in a routing file (a token goes in the URL's path or query, the whole URL given as
     * {@code {env: NAME}} or {@code {file: PATH}}).
     */
    static URI requireHttpUrl(Secret url) {
        URI parsed = null;
        try {
            URI uri = new URI(url.reveal());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                parsed = uri;
            }
        } catch (URISyntaxException e) {
            // reported below without the value
        }
        if (parsed == null) {
            throw new IllegalArgumentException("url (" + url.origin() + "): expected an absolute http(s) URL");
        }
        if (parsed.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url (" + url.origin() + "): credentials in the URL (user:pass@) are refused: they are never sent,"
                    + " and secrets do not belong in the routing file; put a token in the URL's path or query and give the whole URL as {env: NAME} or {file: PATH}");
        }
        return parsed;
    }

    void post(String contentType, Map<String, String> headers, byte[] body) throws Channel.DeliveryException {
        HttpUriRequestBase request = new HttpUriRequestBase("POST", uri);
        request.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        headers.forEach(request::setHeader);
        int status;
        Optional<String> retryAfterHeader;
        try {
            if (EgressGuard.isLiteral(uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost())) {
                guard.resolve(uri.getHost());   // the client may connect to a literal without asking its resolver
            }
            try (ClassicHttpResponse response = client.executeOpen(null, request, null)) {
                status = response.getCode();
                Header h = response.getFirstHeader("Retry-After");
                retryAfterHeader = h == null || h.getValue() == null ? Optional.empty() : Optional.of(h.getValue());
                request.cancel();   // the body is not wanted: drop the connection rather than drain it
            }
        } catch (EgressGuard.Refused e) {
            throw Channel.DeliveryException.refused(e);
        } catch (SocketTimeoutException e) {   // connect or read
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "timed out after " + timeout.toMillis() + " ms");
        } catch (java.io.InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "interrupted");
        } catch (UnknownHostException e) {
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "connection failed: cannot resolve the receiver's host");
        } catch (ConnectException e) {
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "connection failed: " + describe(e));
        } catch (IOException e) {
            throw new Channel.DeliveryException(Channel.Failure.RETRYABLE, "connection failed: " + describe(e));
        }
        if (status / 100 == 2) {
            return;
        }
        if (status == 410) {
            throw new Channel.DeliveryException(Channel.Failure.GONE, "HTTP 410 Gone");
        }
        if (status == 429 || status >= 500) {
            Optional<Duration> retryAfter = retryAfterHeader.flatMap(v -> retryAfter(v, clock.instant()));
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

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing the sockets of a receiver nobody posts to any more: nothing is lost
            org.slf4j.LoggerFactory.getLogger(HttpPost.class).debug("closing the HTTP client: {}", e.getClass().getSimpleName());
        }
    }
}
