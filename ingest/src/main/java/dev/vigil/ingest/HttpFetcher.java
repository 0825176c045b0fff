package dev.vigil.ingest;

import dev.vigil.model.IngestError.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Fetches feeds and pages over HTTP with an honest User-Agent, a timeout and a cap on the body
 * size. Every failure is a {@link FetchException} with a bounded reason.
 */
public final class HttpFetcher {

    public static final String USER_AGENT = "Vigil/0.1 (open-source news monitor)";

    private final HttpClient client;
    private final Duration timeout;
    private final long maxBytes;

    /**
     * @param timeout  connect timeout and time allowed until the response headers arrive
     * @param maxBytes the largest body accepted; a longer one fails with {@link Reason#TOO_LARGE}
     */
    public HttpFetcher(Duration timeout, long maxBytes) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** A fetched body with what is needed to decode it. */
    public record Response(URI uri, int status, byte[] body, Optional<String> contentType) {
    }

    public Response get(URI uri, String accept) throws FetchException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .header("Accept", accept)
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new FetchException(Reason.TIMEOUT, "connect to " + uri.getHost() + " timed out after " + timeout.toSeconds() + "s", e);
        } catch (HttpTimeoutException e) {
            throw new FetchException(Reason.TIMEOUT, "no response from " + uri.getHost() + " within " + timeout.toSeconds() + "s", e);
        } catch (ConnectException e) {
            throw new FetchException(Reason.UNREACHABLE, "cannot connect to " + uri.getHost() + ":" + port(uri) + ": "
                    + Objects.requireNonNullElse(e.getMessage(), "connection refused"), e);
        } catch (IOException e) {
            throw new FetchException(Reason.UNREACHABLE, "fetch failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Reason.UNREACHABLE, "interrupted", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new FetchException(Reason.HTTP_STATUS, "HTTP " + response.statusCode());
            }
            byte[] body = readCapped(in);
            return new Response(response.uri(), response.statusCode(), body, response.headers().firstValue("Content-Type"));
        } catch (IOException e) {
            throw new FetchException(Reason.UNREACHABLE, "reading the body failed: " + e, e);
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private byte[] readCapped(InputStream in) throws IOException, FetchException {
        byte[] buf = new byte[8192];
        byte[] out = new byte[8192];
        int size = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            if (size + (long) n > maxBytes) {
                throw new FetchException(Reason.TOO_LARGE, "body larger than " + maxBytes + " bytes");
            }
            if (size + n > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + n));
            }
            System.arraycopy(buf, 0, out, size, n);
            size += n;
        }
        return Arrays.copyOf(out, size);
    }
}
