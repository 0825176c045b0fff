package dev.vigil.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArticleExtractorTest {

    static final String BODY = "<p>The United States will designate Cartel de los Soles a foreign terrorist organization, the State Department said on Sunday, "
            + "in a move that widens the sanctions against the government in Caracas.</p>"
            + "<p>The designation takes effect on November 24 and allows sanctions against people who support the group, officials said.</p>";

    private final ArticleExtractor extractor = new ArticleExtractor();

    @Test
    void readsMetadataFromJsonLdFirst() throws Exception {
        String html = "<html lang=\"es\"><head><title>Site | Story</title>"
                + "<link rel=\"canonical\" href=\"/2025/11/story\">"
                + "<meta property=\"og:title\" content=\"OG title\">"
                + "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebSite\"},"
                + "{\"@type\":\"NewsArticle\",\"headline\":\"EE.UU. designa al Cartel\",\"datePublished\":\"2025-11-16T10:00:00-04:00\","
                + "\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Pérez\"}],\"inLanguage\":\"es-VE\"}]}</script>"
                + "</head><body><nav><a href=\"/\">Inicio</a></nav><article><h1>Headline</h1>" + BODY + "</article>"
                + "<div class=\"related\"><h3>Related stories</h3><ul><li><a href=\"/x\">Other story one</a></li></ul></div></body></html>";
        ArticleExtractor.Extracted x = extractor.extract(html.getBytes(StandardCharsets.UTF_8), Optional.empty(), "https://herald.example/a?id=1");
        assertThat(x.title()).isEqualTo("EE.UU. designa al Cartel");
        assertThat(x.published()).contains(Instant.parse("2025-11-16T14:00:00Z"));
        assertThat(x.author()).contains("Ana Pérez");
        assertThat(x.language()).contains("es-ve");
        assertThat(x.canonicalUrl()).contains("https://herald.example/2025/11/story");
        assertThat(x.text()).contains("foreign terrorist organization").contains("November 24")
                .doesNotContain("Inicio").doesNotContain("Other story").doesNotContain("Headline");
    }

    @Test
    void fallsBackToOpenGraphAndMetaTags() throws Exception {
        String html = "<html><head><title>T</title><meta property=\"og:title\" content=\"OG title\">"
                + "<meta property=\"article:published_time\" content=\"2025-11-16T10:00:00Z\"><meta name=\"author\" content=\"By Jo Smith\">"
                + "<meta property=\"og:url\" content=\"https://herald.example/og\"></head><body><div class=\"story-body\">" + BODY + "</div></body></html>";
        ArticleExtractor.Extracted x = extractor.extract(html, "https://herald.example/a");
        assertThat(x.title()).isEqualTo("OG title");
        assertThat(x.published()).contains(Instant.parse("2025-11-16T10:00:00Z"));
        assertThat(x.author()).contains("Jo Smith");
        assertThat(x.canonicalUrl()).contains("https://herald.example/og");
    }

    @Test
    void decodesByTheHttpCharsetElseTheMetaCharset() throws Exception {
        String html = "<html><head><meta charset=\"windows-1252\"><title>Café</title></head><body><article>" + BODY.replace("Sunday", "domingo, café")
                + "</article></body></html>";
        byte[] bytes = html.getBytes(Charset.forName("windows-1252"));
        assertThat(extractor.extract(bytes, Optional.empty(), "https://h.example/").text()).contains("domingo, café");
        assertThat(extractor.extract(bytes, Optional.of("text/html; charset=windows-1252"), "https://h.example/").text()).contains("café");
    }

    @Test
    void utf8BytesUnderALatin1LabelAreReadAsUtf8() throws Exception {
        String html = "<html><head><meta charset=\"iso-8859-1\"></head><body><article>" + BODY.replace("Sunday", "domingo, café, señor")
                + "</article></body></html>";
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        assertThat(extractor.extract(bytes, Optional.empty(), "https://h.example/").text()).contains("café, señor");
        assertThat(extractor.extract(bytes, Optional.of("text/html; charset=ISO-8859-1"), "https://h.example/").text()).contains("café, señor");
        for (String label : new String[] {"iso_8859-1", "cp819", "us-ascii", "ansi_x3.4-1968", "x-cp1252", "Windows-1252"}) {
            assertThat(extractor.extract(bytes, Optional.of("text/html; charset=" + label), "https://h.example/").text()).as(label).contains("café, señor");
        }
        // a UTF-8 label over Latin-1 bytes is not this rule's business: those bytes are no valid UTF-8, and the label stands
        assertThat(ArticleExtractor.isUtf8WithNonAscii(html.getBytes(StandardCharsets.ISO_8859_1))).isFalse();
    }

    @Test
    void aCharsetLabelTheJvmDoesNotKnowCountsAsNone() throws Exception {
        String html = "<html><head><meta charset=\"iso-8859-1\"></head><body><article>" + BODY.replace("Sunday", "domingo, café, señor")
                + "</article></body></html>";
        byte[] utf8 = html.getBytes(StandardCharsets.UTF_8);
        // "latin-1" is no label of the Encoding Standard nor a JVM name: as with no label, valid UTF-8 is UTF-8
        assertThat(extractor.extract(utf8, Optional.of("text/html; charset=latin-1"), "https://h.example/").text()).contains("café, señor");
        assertThat(extractor.extract(utf8, Optional.of("text/html; charset=x-no-such-charset"), "https://h.example/").text()).contains("café, señor");
        // and bytes that are no UTF-8 are read by the page's <meta>
        byte[] latin = html.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(extractor.extract(latin, Optional.of("text/html; charset=latin-1"), "https://h.example/").text()).contains("café, señor");
    }

    @Test
    void utf8IsCheckedStrictly() {
        assertThat(ArticleExtractor.isUtf8WithNonAscii("plain ascii".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(ArticleExtractor.isUtf8WithNonAscii("naïve – 東京 😀".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ArticleExtractor.isUtf8WithNonAscii(new byte[] {'a', (byte) 0xC0, (byte) 0xAF})).as("overlong '/'").isFalse();
        assertThat(ArticleExtractor.isUtf8WithNonAscii(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80})).as("a surrogate").isFalse();
        assertThat(ArticleExtractor.isUtf8WithNonAscii(new byte[] {'a', (byte) 0xE6, (byte) 0x9D})).as("cut short").isFalse();
        assertThat(ArticleExtractor.isUtf8WithNonAscii(new byte[] {'a', (byte) 0xE9, 'b'})).as("Latin-1 é").isFalse();
    }

    @Test
    void aPageWithoutRunningTextHasNoArticle() {
        ExtractionException e = catchThrowableOfType(ExtractionException.class,
                () -> extractor.extract("<html><body><nav><a href=\"/\">Home</a></nav><div><img src=\"a.jpg\"></div></body></html>", "https://h.example/"));
        assertThat(e.reason()).isEqualTo(ExtractionException.Reason.NO_ARTICLE);
        assertThat(e.getMessage()).startsWith("no article text found");
    }

    @Test
    void aStubIsTooShort() {
        ExtractionException e = catchThrowableOfType(ExtractionException.class,
                () -> extractor.extract("<html><body><nav><a href=\"/\">Home</a></nav><p>Subscribe to read the rest of this story.</p></body></html>",
                        "https://h.example/"));
        assertThat(e.reason()).isEqualTo(ExtractionException.Reason.TOO_SHORT);
        assertThat(e.getMessage()).contains("too little article text");
    }

    @Test
    void whatIsNoWebPageIsRefusedUnparsed() throws Exception {
        byte[] page = ("<html><body><article>" + BODY + "</article></body></html>").getBytes(StandardCharsets.UTF_8);
        ExtractionException pdfType = catchThrowableOfType(ExtractionException.class,
                () -> extractor.extract(page, Optional.of("application/pdf"), "https://h.example/"));
        assertThat(pdfType.reason()).isEqualTo(ExtractionException.Reason.REFUSED);
        ExtractionException pdf = catchThrowableOfType(ExtractionException.class,
                () -> extractor.extract("%PDF-1.7\n1 0 obj".getBytes(StandardCharsets.US_ASCII), Optional.empty(), "https://h.example/"));
        assertThat(pdf.reason()).isEqualTo(ExtractionException.Reason.REFUSED);
        ExtractionException png = catchThrowableOfType(ExtractionException.class,
                () -> extractor.extract(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13}, Optional.empty(), "https://h.example/"));
        assertThat(png.reason()).isEqualTo(ExtractionException.Reason.REFUSED);
        // the same page as text/html, or in UTF-16 with its byte-order mark (NULs and all), is read
        assertThat(extractor.extract(page, Optional.of("text/html; charset=utf-8"), "https://h.example/").text()).contains("November 24");
        byte[] utf16 = ("\uFEFF<html><body><article>" + BODY + "</article></body></html>").getBytes(StandardCharsets.UTF_16BE);
        assertThat(extractor.extract(utf16, Optional.empty(), "https://h.example/").text()).contains("November 24");
    }
}
