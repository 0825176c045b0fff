package dev.vigil.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** The one syntax every operator-chosen name shares, so it is safe as a metric tag and a key. */
final class IdSyntax {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private IdSyntax() {
    }

    static String requireName(String kind, String value) {
        Objects.requireNonNull(value, kind);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(kind + ": expected 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, found '" + value + "'");
        }
        return value;
    }
}
