package dev.vigil.ingest.fetch;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One GET.
 *
 * @param uri          where
 * @param accept       the Accept header
 * @param maxBytes     the largest body accepted, counted after decompression; a longer one fails
 *                     with reason TOO_LARGE (a truncated body is never passed on as if whole)
 * @param etag         the validator from the last answer, sent as If-None-Match
 * @param lastModified the Last-Modified from the last answer, sent as If-Modified-Since
 */
public record FetchRequest(URI uri, String accept, long maxBytes, Optional<String> etag, Optional<String> lastModified) {

    public FetchRequest {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(accept, "accept");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: expected at least 1, found " + maxBytes);
        }
    }

    public static FetchRequest of(URI uri, String accept, long maxBytes) {
        return new FetchRequest(uri, accept, maxBytes, Optional.empty(), Optional.empty());
    }

    public FetchRequest conditional(Optional<String> etag, Optional<String> lastModified) {
        return new FetchRequest(uri, accept, maxBytes, etag, lastModified);
    }
}
