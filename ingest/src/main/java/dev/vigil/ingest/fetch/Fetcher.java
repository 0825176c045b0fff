package dev.vigil.ingest.fetch;

import dev.vigil.model.HttpUrl;
import dev.vigil.model.IngestError.Reason;
import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.model.net.GuardedDns;
import dev.vigil.model.net.HostResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Every outbound request goes through here, feed or page: the egress guard. It allows http and
 * https only; refuses addresses the {@link EgressPolicy} refuses, checked on the very address
 * connected to ({@link GuardedDns}); follows at most {@link FetchSettings#maxRedirects()}
 * redirects itself, re-checking each, never from https to http, never in a loop; caps the body
 * <em>after</em> decompression (gzip bombs) and treats truncation as an error; and enforces a
 * total deadline per fetch on top of the connect and read timeouts (a server that drips a byte
 * at a time). Per-host politeness comes from a {@link HostLimiter}. Thread-safe; {@link #close()}
 * is idempotent.
 */
public final class Fetcher implements AutoCloseable {

    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NO_CACHE = Pattern.compile("(?:^|[,\\s])(no-cache|no-store)", Pattern.CASE_INSENSITIVE);

    private final FetchSettings settings;
    private final EgressGuard guard;
    private final HostLimiter limiter;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;
    private volatile boolean closed;

    public Fetcher(FetchSettings settings, EgressPolicy policy, HostResolver resolver) {
        this(settings, policy, resolver, Optional.empty());
    }

    /**
     * @param trust the TLS context whose trust store decides which certificates are accepted;
     *              empty for the JVM's default (tests pass one trusting their own certificate)
     */
    public Fetcher(FetchSettings settings, EgressPolicy policy, HostResolver resolver, Optional<SSLContext> trust) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.guard = new EgressGuard(policy, resolver, "list it under egress.allow for an internal feed");
        this.limiter = new HostLimiter(settings.maxPerHost(), settings.hostSpacing());
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create();
        trust.ifPresent(context -> connections.setTlsSocketStrategy(new DefaultClientTlsStrategy(context, HttpsSupport.getDefaultHostnameVerifier())));
        this.pool = connections
                .setDnsResolver(new GuardedDns(guard))
                .setMaxConnTotal(256)
                .setMaxConnPerRoute(settings.maxPerHost())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.readTimeout()))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setUserAgent(settings.userAgent())
                .disableRedirectHandling()       // followed here, so each hop is checked
                .disableContentCompression()     // decoded here, so the cap counts decompressed bytes
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-fetch-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    public FetchSettings settings() {
        return settings;
    }

    /** The politeness limits this fetcher applies, for callers that learn a host's crawl delay. */
    public HostLimiter hostLimiter() {
        return limiter;
    }

    /**
     * Fetches one resource, following redirects.
     *
     * @throws FetchException with a bounded reason and a message naming the host and what went wrong
     */
    @SuppressWarnings("try") // the host permit is held for the exchange and released by close()
    public FetchResult get(FetchRequest request) throws FetchException {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new FetchException(Reason.UNREACHABLE, "fetcher is closed");
        }
        long deadline = System.nanoTime() + settings.deadline().toNanos();
        URI current = request.uri();
        Set<URI> visited = new HashSet<>();
        for (int hop = 0; ; hop++) {
            checkUri(current);
            if (!visited.add(current)) {
                throw new FetchException(Reason.REDIRECTS, "redirect loop at " + current);
            }
            Hop answer;
            try (HostLimiter.Permit permit = limiter.acquire(current.getHost(), settings.hostWait())) {
                answer = exchange(current, request, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchException(Reason.UNREACHABLE, "interrupted while fetching " + current);
            }
            if (answer.result != null) {
                return answer.result;
            }
            if (hop >= settings.maxRedirects()) {
                throw new FetchException(Reason.REDIRECTS, "more than " + settings.maxRedirects() + " redirects, the last to " + answer.location);
            }
            if (current.getScheme().equalsIgnoreCase("https") && answer.location.getScheme().equalsIgnoreCase("http")) {
                throw new FetchException(Reason.REFUSED, "redirect from https to http refused: " + current + " -> " + answer.location);
            }
            current = answer.location;
        }
    }

    /** A redirect to follow, or the result. */
    private record Hop(FetchResult result, URI location) {
    }

    private void checkUri(URI uri) throws FetchException {
        Optional<HttpUrl.Problem> problem = HttpUrl.check(uri);
        if (problem.equals(Optional.of(HttpUrl.Problem.NOT_HTTP))) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            throw new FetchException(Reason.REFUSED, "only http and https are fetched, not '" + scheme + "': " + uri);
        }
        if (problem.isPresent()) {
            throw new FetchException(Reason.MALFORMED, "no host in " + uri);
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchException(Reason.REFUSED, "credentials in a URL are not sent: " + uri.getHost());
        }
        // the client may connect to an address literal without asking the resolver: check it here too
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (EgressGuard.isLiteral(bare)) {
            try {
                guard.resolve(bare);
            } catch (EgressGuard.Refused e) {
                throw new FetchException(Reason.REFUSED, e.getMessage() + " [" + uri + "]", e);
            } catch (UnknownHostException e) {
                throw new FetchException(Reason.MALFORMED, "not an address: " + host, e);
            }
        }
    }

    private Hop exchange(URI uri, FetchRequest request, long deadline) throws FetchException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timeout(uri, null);
        }
        HttpGet get = new HttpGet(uri);
        get.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(Math.max(1, Math.min(settings.readTimeout().toMillis(), remaining / 1_000_000))))
                .setConnectionRequestTimeout(Timeout.of(settings.hostWait()))
                .build());
        get.setHeader("Accept", request.accept());
        get.setHeader("Accept-Encoding", "gzip, deflate");
        request.etag().ifPresent(v -> get.setHeader("If-None-Match", v));
        request.lastModified().ifPresent(v -> get.setHeader("If-Modified-Since", v));
        ScheduledFuture<?> timer = deadlines.schedule(get::cancel, remaining, TimeUnit.NANOSECONDS);
        boolean complete = false;
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, get, null);
            int status = response.getCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                return new Hop(null, location(uri, response));
            }
            if (status == 304) {
                complete = true;
                return new Hop(result(uri, response, status, new byte[0], 0), null);
            }
            if (status == 429 || status == 503) {
                Optional<Duration> after = retryAfter(header(response, "Retry-After"));
                throw new FetchException(Reason.RATE_LIMITED, "HTTP " + status + " from " + uri.getHost()
                        + after.map(d -> ", retry after " + d.toSeconds() + "s").orElse(""), null, after);
            }
            if (status < 200 || status > 299) {
                throw FetchException.status(status, "HTTP " + status + " from " + uri);
            }
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                complete = true;
                return new Hop(result(uri, response, status, new byte[0], 0), null);
            }
            String encoding = header(response, "Content-Encoding").map(e -> e.strip().toLowerCase(Locale.ROOT)).orElse("identity");
            if (encoding.equals("identity") && entity.getContentLength() > request.maxBytes()) {
                throw new FetchException(Reason.TOO_LARGE, uri.getHost() + " announced " + entity.getContentLength()
                        + " bytes, more than the " + request.maxBytes() + " allowed");
            }
            Counting wire = new Counting(entity.getContent());
            byte[] body = readCapped(decoder(encoding, wire, uri), request.maxBytes(), uri, deadline);
            complete = true;
            return new Hop(result(uri, response, status, body, wire.count), null);
        } catch (EgressGuard.Refused e) {
            throw new FetchException(Reason.REFUSED, e.getMessage() + " [" + uri + "]", e);
        } catch (ConnectTimeoutException e) {
            throw new FetchException(Reason.TIMEOUT, "connect to " + hostPort(uri) + " timed out after " + settings.connectTimeout().toSeconds() + "s", e);
        } catch (UnknownHostException e) {
            throw new FetchException(Reason.UNREACHABLE, "cannot resolve " + uri.getHost(), e);
        } catch (ConnectException e) {
            throw new FetchException(Reason.UNREACHABLE, "cannot connect to " + hostPort(uri) + ": " + Objects.requireNonNullElse(e.getMessage(), "refused"), e);
        } catch (ZipException e) {
            throw new FetchException(Reason.MALFORMED, "body from " + uri.getHost() + " is not valid " + "gzip/deflate: " + e.getMessage(), e);
        } catch (SocketTimeoutException e) {
            throw System.nanoTime() - deadline >= 0 ? timeout(uri, e)
                    : new FetchException(Reason.TIMEOUT, "no data from " + hostPort(uri) + " for " + settings.readTimeout().toSeconds() + "s", e);
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0 || get.isCancelled()) {
                throw timeout(uri, e);
            }
            throw new FetchException(Reason.UNREACHABLE, "fetching " + uri + " failed: " + e, e);
        } finally {
            timer.cancel(false);
            if (!complete) {
                // drop the connection first: closing the response would drain an endless or unwanted body
                get.cancel();
            }
            closeQuietly(response);
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response == null) {
            return;
        }
        try {
            response.close();
        } catch (IOException e) {
            // the exchange is over either way; the connection is discarded
            org.slf4j.LoggerFactory.getLogger(Fetcher.class).debug("closing a response: {}", e.toString());
        }
    }

    private FetchException timeout(URI uri, Throwable cause) {
        return new FetchException(Reason.TIMEOUT, "no complete answer from " + hostPort(uri) + " within the "
                + settings.deadline().toSeconds() + "s deadline", cause);
    }

    private URI location(URI base, ClassicHttpResponse response) throws FetchException {
        String raw = header(response, "Location").orElseThrow(() ->
                new FetchException(Reason.MALFORMED, "HTTP " + response.getCode() + " without a Location from " + base));
        try {
            return base.resolve(new URI(raw.strip())).normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(Reason.MALFORMED, "unusable redirect Location from " + base.getHost() + ": " + e.getMessage(), e);
        }
    }

    private static FetchResult result(URI uri, ClassicHttpResponse response, int status, byte[] body, long wireBytes) {
        return new FetchResult(uri, status, body, header(response, "Content-Type"), header(response, "ETag"),
                header(response, "Last-Modified"), freshness(response), wireBytes);
    }

    private static Optional<String> header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null || h.getValue() == null || h.getValue().isBlank() ? Optional.empty() : Optional.of(h.getValue().strip());
    }

    /** Cache-Control max-age, else Expires minus Date (or now); no-cache and no-store mean zero. */
    static Optional<Duration> freshness(ClassicHttpResponse response) {
        Optional<String> cacheControl = header(response, "Cache-Control");
        if (cacheControl.isPresent()) {
            if (NO_CACHE.matcher(cacheControl.get()).find()) {
                return Optional.of(Duration.ZERO);
            }
            Matcher m = MAX_AGE.matcher(cacheControl.get());
            if (m.find()) {
                try {
                    return Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1))));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        Optional<Instant> expires = header(response, "Expires").flatMap(Fetcher::httpDate);
        if (expires.isEmpty()) {
            return Optional.empty();
        }
        Instant date = header(response, "Date").flatMap(Fetcher::httpDate).orElse(Instant.now());
        Duration d = Duration.between(date, expires.get());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
    }

    /** Retry-After as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(Optional<String> value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().strip();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        return httpDate(v).map(at -> {
            Duration d = Duration.between(Instant.now(), at);
            return d.isNegative() ? Duration.ZERO : d;
        });
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static InputStream decoder(String encoding, InputStream in, URI uri) throws IOException, FetchException {
        return switch (encoding) {
            case "identity", "" -> in;
            case "gzip", "x-gzip" -> new GZIPInputStream(in, 8192);
            case "deflate" -> new InflaterInputStream(in);
            default -> throw new FetchException(Reason.UNSUPPORTED, "content encoding '" + encoding + "' from " + uri.getHost() + " is not supported");
        };
    }

    private byte[] readCapped(InputStream in, long maxBytes, URI uri, long deadline) throws IOException, FetchException {
        byte[] buf = new byte[8192];
        byte[] out = new byte[8192];
        int size = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            if (size + (long) n > maxBytes) {
                throw new FetchException(Reason.TOO_LARGE, "body from " + uri.getHost() + " exceeds " + maxBytes
                        + " bytes once decompressed; refused rather than truncated");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw timeout(uri, null);
            }
            if (size + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(out.length * 2L, size + (long) n)));
            }
            System.arraycopy(buf, 0, out, size, n);
            size += n;
        }
        return Arrays.copyOf(out, size);
    }

    private static String hostPort(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        deadlines.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            // closing sockets of a client nobody uses any more: nothing is lost
            org.slf4j.LoggerFactory.getLogger(Fetcher.class).debug("closing the HTTP client: {}", e.toString());
        }
        pool.close();
    }

    /** Counts bytes read off the wire, before decompression. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
