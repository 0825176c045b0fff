package dev.vigil.alerts.receiver;

import java.util.Objects;

/**
 * A value that must never be shown: a signing key, a password, a webhook URL with a token in it.
 * {@link #toString()} says only where it came from, so a secret that slips into a log line, an
 * exception message or a record's {@code toString} stays hidden. Read it with {@link #reveal()},
 * at the one place that needs it.
 */
public final class Secret {

    private final String value;
    private final String origin;

    /**
     * @param value  the secret itself
     * @param origin where it was read from, safe to show, e.g. {@code env VIGIL_HOOK_SECRET}
     */
    public Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    public String reveal() {
        return value;
    }

    /** Where the secret came from, for messages. */
    public String origin() {
        return origin;
    }

    /** Compares in time independent of where the first difference is (for bearer tokens). */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "[secret from " + origin + "]";
    }
}
