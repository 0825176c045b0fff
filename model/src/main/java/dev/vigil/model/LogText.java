package dev.vigil.model;

import java.util.Objects;

/**
 * A value from outside on its way into a log line: a title, a URL, a silence reason, an alert id
 * read from a topic, a feed's or a receiver's error, a record's parse error. Its {@link #toString()}
 * escapes every character that could end the line or disguise it: CR, LF and the other C0
 * controls, DEL, the C1 controls (NEL among them), the Unicode line and paragraph separators and
 * the bidirectional overrides and isolates, as {@code \r}, {@code \n}, {@code \t} or
 * a backslash, "u" and four hex digits; a backslash is doubled, so an escaped line reads back unambiguously. This is the
 * one place that rule lives: log such values as {@code LogText.of(value)}, never raw.
 *
 * <pre>{@code
 * log.info("alerts: silence {}: {}", id, LogText.of(silence.reason()));
 * // reason "drill\r\n12:00:00.000 INFO forged" logs as: drill\r\n12:00:00.000 INFO forged
 * }</pre>
 */
public record LogText(String value) {

    public LogText {
        Objects.requireNonNull(value, "value");
    }

    /** The value's text ({@code "null"} for none), to be escaped when it is logged. */
    public static LogText of(Object value) {
        return new LogText(String.valueOf(value));
    }

    /** The text with every line-breaking or disguising character escaped. */
    public static String escape(CharSequence text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = escaped(c);
            if (escaped != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escaped != null) {
                    out.append(escaped);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text.toString() : out.toString();
    }

    /**
     * The text escaped as {@link #escape(CharSequence)} does, cut to at most {@code max} characters
     * of the original with an ellipsis: for a header or a log line that must stay short. {@code null}
     * is the empty text.
     */
    public static String escape(CharSequence text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return escape(text);
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return escape(text.subSequence(0, end)) + "…";
    }

    private static String escaped(char c) {
        switch (c) {
            case '\r':
                return "\\r";
            case '\n':
                return "\\n";
            case '\t':
                return "\\t";
            case '\\':
                return "\\\\";
            default:
                break;
        }
        boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
        boolean separator = c == '\u2028' || c == '\u2029';
        boolean bidi = (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f' || c == '\u061c';
        return control || separator || bidi ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c) : null;
    }

    @Override
    public String toString() {
        return escape(value);
    }
}
