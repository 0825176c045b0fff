package dev.vigil.model;

/**
 * A record written in a {@code schemaVersion} this code does not read. Thrown by the record's
 * constructor, so deserialising it fails and the caller dead-letters it with reason
 * {@link DeadLetter.Reason#UNSUPPORTED_SCHEMA} instead of guessing at its shape.
 */
public final class UnsupportedSchemaException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnsupportedSchemaException(String message) {
        super(message);
    }
}
