package dev.vigil.ingest.feed;

import dev.vigil.model.IngestError;
import java.util.Objects;

/** A document that is not a feed Vigil can read, with a bounded reason and what and where. */
public final class FeedParseException extends Exception {

    private final IngestError.Reason reason;

    public FeedParseException(IngestError.Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** MALFORMED (not well-formed, refused doctype), UNSUPPORTED (well-formed, not a feed) or EMPTY. */
    public IngestError.Reason reason() {
        return reason;
    }
}
