package dev.vigil.ingest.fetch;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Content-Type value as ingest reads it: the media type and the {@code charset} parameter. The one
 * reading of that header for feeds ({@code Decoded}) and for article pages ({@code ArticleExtractor});
 * a page's {@code <meta http-equiv="Content-Type" content="…">} carries a value of the same form.
 * Lenient by design: what cannot be read is absent, never an error, and a label the JVM does not know
 * is left to the decoder, which notes it and moves on to the next step of its order.
 *
 * <p>{@code ContentType.parse("text/html; charset=\"ISO-8859-1\"")} is {@code text/html} with the
 * charset {@code ISO-8859-1}.
 *
 * @param mediaType the type and subtype, lower-cased ({@code text/html}); empty when the value has none
 * @param charset   the charset label as written, without quotes; empty when there is none (or {@code charset=""})
 */
public record ContentType(String mediaType, Optional<String> charset) {

    /** {@code ;charset=label}, any case, blanks around {@code =}, the label optionally in single or double quotes. */
    private static final Pattern CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*[\"']?([^;\"'\\s]+)", Pattern.CASE_INSENSITIVE);

    public ContentType {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(charset, "charset");
    }

    /** Reads a Content-Type value; never fails. */
    public static ContentType parse(String value) {
        Objects.requireNonNull(value, "value");
        String type = value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        Matcher m = CHARSET.matcher(value);
        return new ContentType(type, m.find() ? Optional.of(m.group(1)) : Optional.empty());
    }

    /** The charset label of a Content-Type header, if there is a header and it names one. */
    public static Optional<String> charsetOf(Optional<String> header) {
        return header.flatMap(h -> parse(h).charset());
    }
}
