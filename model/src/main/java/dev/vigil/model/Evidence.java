package dev.vigil.model;

import java.util.Objects;

/**
 * Why a rule matched: the term that matched, where, and the text around it.
 *
 * @param rule    the topic or signal rule
 * @param term    the rule's term as the operator wrote it, e.g. {@code strike*}
 * @param field   title or body
 * @param offset  character offset of the match in that field
 * @param snippet a short excerpt around the match, for people
 * @param end     character offset just past the match, so {@code text.substring(offset, end)} is
 *                the matched text ("struck" for the term {@code strike}); equal to {@code offset}
 *                in records written before it was added
 */
public record Evidence(RuleId rule, String term, Field field, int offset, String snippet, int end) {

    public Evidence {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(field, "field");
        snippet = Objects.requireNonNullElse(snippet, "");
        if (offset < 0) {
            throw new IllegalArgumentException("offset: expected >= 0, found " + offset);
        }
        end = Math.max(end, offset);
    }

    /** Evidence whose end is not known. */
    public Evidence(RuleId rule, String term, Field field, int offset, String snippet) {
        this(rule, term, field, offset, snippet, offset);
    }
}
