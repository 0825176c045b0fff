package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Id of a {@link Silence}, e.g. {@code s-3f9a1c2b7d4e}: the key of {@code vigil.silences}. */
public record SilenceId(@JsonValue String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public SilenceId {
        IdSyntax.requireName("silence id", value);
    }

    @JsonCreator
    public static SilenceId of(String value) {
        return new SilenceId(value);
    }

    /** A fresh random id. */
    public static SilenceId random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return new SilenceId("s-" + HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
