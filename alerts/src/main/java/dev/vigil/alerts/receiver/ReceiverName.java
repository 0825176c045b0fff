package dev.vigil.alerts.receiver;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The operator's name for a receiver, e.g. {@code ops-webhook}: shown in logs, on
 * {@code vigil.deliveries} and as a metric tag in place of its URL, which may carry a token.
 */
public record ReceiverName(String value) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public ReceiverName {
        Objects.requireNonNull(value, "receiver name");
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("receiver name: expected 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, found '"
                    + value + "'");
        }
    }

    public static boolean isValid(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
