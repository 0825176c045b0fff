package dev.vigil.ingest.fetch;

import dev.vigil.model.IngestError;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A fetch that failed, with a bounded reason (a metric tag) and a message for people that says
 * what and where. A 429 or 503 carries the server's Retry-After, when it gave one.
 */
public final class FetchException extends Exception {

    private final IngestError.Reason reason;
    private final transient Optional<Duration> retryAfter;
    private int status;

    public FetchException(IngestError.Reason reason, String message) {
        this(reason, message, null, Optional.empty());
    }

    public FetchException(IngestError.Reason reason, String message, Throwable cause) {
        this(reason, message, cause, Optional.empty());
    }

    public FetchException(IngestError.Reason reason, String message, Throwable cause, Optional<Duration> retryAfter) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** A failure by HTTP status (reason HTTP_STATUS), keeping the status for callers that care. */
    public static FetchException status(int status, String message) {
        FetchException e = new FetchException(IngestError.Reason.HTTP_STATUS, message);
        e.status = status;
        return e;
    }

    /** The HTTP status of an HTTP_STATUS failure, else 0. */
    public int status() {
        return status;
    }

    public IngestError.Reason reason() {
        return reason;
    }

    /** How long the server asked us to wait (429/503 Retry-After), if it said. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
