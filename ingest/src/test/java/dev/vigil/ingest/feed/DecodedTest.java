package dev.vigil.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecodedTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** "“Caracas” – ok" in windows-1252: 0x93, 0x94 and 0x96 are quotes and a dash there, C1 controls in ISO-8859-1. */
    private static final byte[] QUOTED = {(byte) 0x93, 'C', 'a', 'r', 'a', 'c', 'a', 's', (byte) 0x94, ' ', (byte) 0x96, ' ', 'o', 'k'};

    @Test
    void everyWindows1252LabelOfTheHttpHeaderDecodesAsWindows1252() {
        for (String label : List.of("iso-8859-1", "ISO-8859-1", "latin1", "l1", "iso8859-1", "iso_8859-1", "cp819", "us-ascii",
                "ansi_x3.4-1968", "iso88591", "x-cp1252", "cp1252")) {
            Decoded d = Decoded.of(QUOTED, Optional.of("text/xml; charset=" + label), true);
            assertThat(d.charset()).as(label).isEqualTo(WINDOWS_1252);
            assertThat(d.source()).as(label).isEqualTo(Decoded.Source.HTTP);
            assertThat(d.text()).as(label).isEqualTo("\u201CCaracas\u201D \u2013 ok");
            assertThat(d.notes()).as(label).isEmpty();
        }
    }

    @Test
    void anXmlDeclarationsLatinLabelDecodesAsWindows1252Too() {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"ISO_8859-1:1987\"?><rss/>").getBytes(StandardCharsets.US_ASCII);
        Decoded d = Decoded.of(xml, Optional.empty(), true);
        assertThat(d.charset()).isEqualTo(WINDOWS_1252);
        assertThat(d.source()).isEqualTo(Decoded.Source.XML_DECLARATION);
    }

    @Test
    void otherLabelsAreTheJvmsCharsets() {
        assertThat(Decoded.of(QUOTED, Optional.of("text/xml; charset=iso-8859-15"), true).charset().name()).isEqualTo("ISO-8859-15");
        Decoded unknown = Decoded.of("ok".getBytes(StandardCharsets.US_ASCII), Optional.of("text/xml; charset=latin-1"), false);
        assertThat(unknown.source()).as("latin-1 is no label of the standard, nor a JVM name").isEqualTo(Decoded.Source.FALLBACK);
        assertThat(unknown.notes()).containsExactly("unknown HTTP charset 'latin-1' ignored");
    }
}
