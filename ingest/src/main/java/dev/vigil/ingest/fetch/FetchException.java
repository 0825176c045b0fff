package dev.vigil.ingest;

import dev.vigil.model.IngestError;
import java.util.Objects;

/** A fetch that failed, with a bounded reason (a metric tag) and a message for people. */
public final class FetchException extends Exception {

    private final IngestError.Reason reason;

    public FetchException(IngestError.Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public FetchException(IngestError.Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public IngestError.Reason reason() {
        return reason;
    }
}
