package dev.vigil.ingest.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful answer: 200 with its whole body, or 304 Not Modified with none.
 *
 * @param uri          where the answer came from, after redirects
 * @param status       200-299 or 304
 * @param body         the decoded (decompressed) body; empty for 304
 * @param contentType  the Content-Type header, if any
 * @param etag         the ETag header, if any
 * @param lastModified the Last-Modified header, if any
 * @param freshFor     how long the server says the answer stays fresh (Cache-Control max-age,
 *                     else Expires minus Date), if it says
 * @param wireBytes    bytes read from the network (compressed)
 */
public record FetchResult(URI uri, int status, byte[] body, Optional<String> contentType, Optional<String> etag,
                          Optional<String> lastModified, Optional<Duration> freshFor, long wireBytes) {

    public FetchResult {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(freshFor, "freshFor");
    }

    public boolean notModified() {
        return status == 304;
    }
}
