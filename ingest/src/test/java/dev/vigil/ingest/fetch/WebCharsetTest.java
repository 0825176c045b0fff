package dev.vigil.ingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class WebCharsetTest {

    /** The Encoding Standard's labels for windows-1252, copied from its table so that a dropped label fails here. */
    static final List<String> STANDARD_LABELS = List.of("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
            "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
            "windows-1252", "x-cp1252");

    @Test
    void everyLabelOfTheStandardIsWindows1252() {
        assertThat(STANDARD_LABELS).allSatisfy(label -> assertThat(WebCharset.isWindows1252(label)).as(label).isTrue());
    }

    @Test
    void labelsAreComparedIgnoringCase() {
        assertThat(STANDARD_LABELS).allSatisfy(label -> assertThat(WebCharset.isWindows1252(label.toUpperCase(Locale.ROOT))).as(label).isTrue());
        assertThat(WebCharset.isWindows1252("ISO-8859-1")).isTrue();
        assertThat(WebCharset.isWindows1252("Windows-1252")).isTrue();
        assertThat(WebCharset.isWindows1252("US-ASCII")).isTrue();
        assertThat(WebCharset.isWindows1252("Latin1")).isTrue();
    }

    @Test
    void blanksAroundALabelAreIgnored() {
        assertThat(WebCharset.isWindows1252(" iso-8859-1 ")).isTrue();
        assertThat(WebCharset.isWindows1252("\tcp1252\r\n")).isTrue();
        assertThat(WebCharset.isWindows1252("iso 8859-1")).as("a blank inside is another label").isFalse();
    }

    @Test
    void otherEncodingsAreNot() {
        assertThat(List.of("utf-8", "UTF-8", "utf8", "iso-8859-2", "iso-8859-15", "latin2", "l2", "windows-1251", "cp1251", "windows-1250",
                "koi8-r", "shift_jis", "utf-16", "x-user-defined"))
                .allSatisfy(label -> assertThat(WebCharset.isWindows1252(label)).as(label).isFalse());
    }

    @Test
    void namesThatAreNoLabelOfTheStandardAreNot() {
        // spellings seen in the wild that browsers do not know: they are unknown labels, not Latin ones
        assertThat(List.of("latin-1", "iso-8859_1", "iso8859_1", "8859_1", "windows1252", "us", "", "  "))
                .allSatisfy(label -> assertThat(WebCharset.isWindows1252(label)).as("'" + label + "'").isFalse());
    }

    @Test
    void theCharsetIsTheJvmsWindows1252() {
        assertThat(WebCharset.WINDOWS_1252.name()).isEqualTo("windows-1252");
    }

    @Test
    void aMissingLabelIsAnError() {
        assertThatNullPointerException().isThrownBy(() -> WebCharset.isWindows1252(null)).withMessage("label");
    }
}
