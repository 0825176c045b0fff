package dev.vigil.ingest.extract;

/** A page that yielded no article text, with what was found instead. */
public final class ExtractionException extends Exception {

    public ExtractionException(String message) {
        super(message);
    }
}
