package dev.vigil.ingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentTypeTest {

    @Test
    void readsTheCharsetOfAnHttpHeader() {
        assertThat(ContentType.parse("text/html; charset=utf-8")).isEqualTo(new ContentType("text/html", Optional.of("utf-8")));
        assertThat(ContentType.parse("application/rss+xml;charset=ISO-8859-1").charset()).contains("ISO-8859-1");
    }

    @Test
    void readsTheContentOfAMetaHttpEquivTheSameWay() {
        // <meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">: the attribute holds a Content-Type value
        assertThat(ContentType.parse("text/html; charset=Shift_JIS").charset()).contains("Shift_JIS");
    }

    @Test
    void takesTheLabelQuotedOrNot() {
        assertThat(ContentType.parse("text/html; charset=\"windows-1252\"").charset()).contains("windows-1252");
        assertThat(ContentType.parse("text/html; charset='koi8-r'").charset()).contains("koi8-r");
        assertThat(ContentType.parse("text/html; charset=koi8-r").charset()).contains("koi8-r");
    }

    @Test
    void ignoresCaseBlanksAndOtherParameters() {
        assertThat(ContentType.parse("Text/HTML ; CHARSET = UTF-8")).isEqualTo(new ContentType("text/html", Optional.of("UTF-8")));
        assertThat(ContentType.parse("text/plain; format=flowed; charset=us-ascii; delsp=yes").charset()).contains("us-ascii");
        assertThat(ContentType.parse("text/html; charset=utf-8 ; q=1").charset()).contains("utf-8");
    }

    @Test
    void junkYieldsNoCharsetRatherThanAnError() {
        assertThat(ContentType.parse("text/html").charset()).isEmpty();
        assertThat(ContentType.parse("text/html; charset=").charset()).isEmpty();
        assertThat(ContentType.parse("text/html; charset=\"\"").charset()).isEmpty();
        assertThat(ContentType.parse("text/html; xcharset=utf-8").charset()).as("another parameter ending in charset").isEmpty();
        assertThat(ContentType.parse("charset=utf-8").charset()).as("no parameter without a media type before it").isEmpty();
        assertThat(ContentType.parse(";;;").charset()).isEmpty();
        // a label the JVM does not know is still the label: the decoder notes it and moves on
        assertThat(ContentType.parse("text/html; charset=x-no-such-charset").charset()).contains("x-no-such-charset");
    }

    @Test
    void theMediaTypeIsLowerCasedAndMayBeMissing() {
        assertThat(ContentType.parse("  Application/PDF  ").mediaType()).isEqualTo("application/pdf");
        assertThat(ContentType.parse("; charset=utf-8")).isEqualTo(new ContentType("", Optional.of("utf-8")));
        assertThat(ContentType.parse("").mediaType()).isEmpty();
    }

    @Test
    void charsetOfAnAbsentHeaderIsAbsent() {
        assertThat(ContentType.charsetOf(Optional.empty())).isEmpty();
        assertThat(ContentType.charsetOf(Optional.of("text/xml; charset=utf-16"))).contains("utf-16");
    }
}
