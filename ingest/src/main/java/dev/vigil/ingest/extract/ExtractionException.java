package dev.vigil.ingest.extract;

import dev.vigil.model.IngestError;
import java.util.Locale;
import java.util.Objects;

/** A page that yielded no article text, with why ({@link Reason}) and what was found instead. */
public final class ExtractionException extends Exception {

    /**
     * Why a page yielded no article; {@link #wireName()} is the stable name in {@code vigil extract}'s
     * output, {@link #ingestReason()} the reason ingest reports at stage {@code extract_page}.
     */
    public enum Reason {
        /** The page has no running text at all: navigation, a gallery, an empty shell filled in by scripts. */
        NO_ARTICLE(IngestError.Reason.NO_ARTICLE),
        /** Some running text, less than an article: a paywall stub, a teaser, an error page. */
        TOO_SHORT(IngestError.Reason.TOO_SHORT),
        /** Not read as a page at all: a PDF, an image or other binary, or a content type that is not a web page. */
        REFUSED(IngestError.Reason.UNSUPPORTED);

        private final IngestError.Reason ingestReason;

        Reason(IngestError.Reason ingestReason) {
            this.ingestReason = ingestReason;
        }

        /**
         * The reason on ingest's error event, log line and {@code vigil.ingest.errors} meter: {@code no_article},
         * {@code too_short}, or {@code unsupported} for what is not a web page ({@code refused} there is the egress
         * guard's word, not this one).
         */
        public IngestError.Reason ingestReason() {
            return ingestReason;
        }

        /** {@code no-article}, {@code too-short}, {@code refused}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public ExtractionException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
