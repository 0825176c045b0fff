package dev.vigil.ingest.fetch;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which charset labels mean windows-1252 on the web: the labels the WHATWG Encoding Standard
 * (encoding.spec.whatwg.org, "Encodings" table) maps to windows-1252, compared as browsers compare
 * them, ignoring ASCII case and surrounding blanks. Browsers read ISO-8859-1 and US-ASCII as
 * windows-1252 because pages so labelled are in practice windows-1252 (curly quotes and dashes in
 * 0x80–0x9F). The one home of that rule for feeds ({@code Decoded}, which decodes these labels as
 * windows-1252) and article pages ({@code ArticleExtractor}, which re-reads a page under one of
 * these labels as UTF-8 when its bytes are valid UTF-8).
 *
 * <p>{@code WebCharset.isWindows1252(" ISO-8859-1 ")} is true; {@code isWindows1252("iso-8859-15")}
 * and {@code isWindows1252("latin-1")} (no label of the standard) are false.
 */
public final class WebCharset {

    public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** The standard's labels for windows-1252, in its order; lower case, as the standard writes them. */
    private static final Set<String> WINDOWS_1252_LABELS = Set.of(
            "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1",
            "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252");

    private WebCharset() {
    }

    /** Whether {@code label} is one of the standard's labels for windows-1252, in any case, blanks around it ignored. */
    public static boolean isWindows1252(String label) {
        Objects.requireNonNull(label, "label");
        return WINDOWS_1252_LABELS.contains(label.strip().toLowerCase(Locale.ROOT));
    }
}
