package dev.vigil.model.config;

import java.util.Objects;

/**
 * One thing wrong in a configuration file, located for the person who has to fix it.
 *
 * @param file    the file as the operator named it
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param key     dotted path of the key concerned, e.g. {@code signals.strike.weight}; empty for the file
 * @param message what is wrong, in words: "expected …, found …"
 */
public record ConfigProblem(String file, int line, int column, String key, String message) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        key = Objects.requireNonNullElse(key, "");
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (!key.isEmpty()) {
            out.append(key).append(": ");
        }
        return out.append(message).toString();
    }
}
