package dev.vigil.streams.rules;

import dev.vigil.model.Field;

/**
 * How much a match counts in each field of an article. A signal found in the title counts
 * {@code weight × title}; found only in the body, {@code weight × body}. A field weighed 0 is not
 * searched by the rule at all.
 */
public record FieldWeights(double title, double body) {

    /** A headline is the outlet's own summary of what matters: a signal there counts half as much again. */
    public static final FieldWeights DEFAULT = new FieldWeights(1.5, 1.0);
    public static final double MAX = 10;

    public FieldWeights {
        if (!(title >= 0 && title <= MAX) || !(body >= 0 && body <= MAX) || title + body == 0) {
            throw new IllegalArgumentException("fields: expected weights from 0 to " + MAX + ", not both 0; found title " + title + ", body " + body);
        }
    }

    public double of(Field field) {
        return field == Field.TITLE ? title : body;
    }
}
