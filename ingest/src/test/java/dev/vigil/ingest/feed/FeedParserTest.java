package dev.vigil.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.IngestError.Reason;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeedParserTest {

    static final Optional<URI> BASE = Optional.of(URI.create("https://herald.example/feeds/world.xml"));
    private final FeedParser parser = new FeedParser(Clock.systemUTC());

    private ParsedFeed parse(String xml) throws FeedParseException {
        return parser.parse(xml.getBytes(StandardCharsets.UTF_8), Optional.empty(), BASE);
    }

    private FeedParseException rejection(byte[] body, Optional<String> contentType) {
        return catchThrowableOfType(FeedParseException.class, () -> parser.parse(body, contentType, BASE));
    }

    static String rss(String channelExtra, String items) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Herald</title><link>https://herald.example/</link>"
                + "<description>d</description>" + channelExtra + items + "</channel></rss>";
    }

    @Test
    void readsRss2Items() throws Exception {
        ParsedFeed feed = parse(rss("<language>en-gb</language>", "<item><title>A &amp; B</title><link>https://herald.example/a</link>"
                + "<guid>tag:herald,1</guid><author>jane@herald.example (Jane)</author><pubDate>Sun, 16 Nov 2025 10:00:00 GMT</pubDate></item>"));
        assertThat(feed.format()).isEqualTo("rss_2.0");
        assertThat(feed.title()).isEqualTo("Herald");
        assertThat(feed.language()).contains("en-gb");
        FeedItem item = feed.items().get(0);
        assertThat(item.title()).isEqualTo("A & B");
        assertThat(item.guid()).contains("tag:herald,1");
        assertThat(item.published()).contains(Instant.parse("2025-11-16T10:00:00Z"));
        assertThat(item.dateVerdict()).isEqualTo(DateRule.Verdict.OK);
    }

    @Test
    void malformedXmlIsRejectedWithWhere() {
        FeedParseException e = rejection("<rss version=\"2.0\"><channel><title>oops</channel></rss>".getBytes(StandardCharsets.UTF_8), Optional.empty());
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).startsWith("not well-formed XML").contains("line 1");
    }

    @Test
    void wellFormedXmlThatIsNoFeedIsUnsupported() {
        FeedParseException e = rejection("<html><body><p>hello</p></body></html>".getBytes(StandardCharsets.UTF_8), Optional.empty());
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
        assertThat(e.getMessage()).contains("<html>");
    }

    @Test
    void theHttpCharsetBeatsAContradictingXmlDeclaration() throws Exception {
        String xml = rss("", "<item><title>Café à Caracas</title><link>https://herald.example/a</link></item>")
                .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
        ParsedFeed feed = parser.parse(xml.getBytes(StandardCharsets.UTF_8), Optional.of("application/rss+xml; charset=utf-8"), BASE);
        assertThat(feed.items().get(0).title()).isEqualTo("Café à Caracas");
        byte[] latin = xml.getBytes(Charset.forName("windows-1252"));
        ParsedFeed byProlog = parser.parse(latin, Optional.of("text/xml"), BASE);
        assertThat(byProlog.items().get(0).title()).isEqualTo("Café à Caracas");
    }

    @Test
    void aByteOrderMarkBeatsTheHttpCharset() throws Exception {
        String xml = rss("", "<item><title>Mañana</title><link>https://herald.example/a</link></item>").replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        byte[] text = xml.getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[text.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(text, 0, withBom, 2, text.length);
        ParsedFeed feed = parser.parse(withBom, Optional.of("text/xml; charset=iso-8859-1"), BASE);
        assertThat(feed.items().get(0).title()).isEqualTo("Mañana");
        assertThat(Decoded.of(withBom, Optional.of("text/xml; charset=iso-8859-1"), true).source()).isEqualTo(Decoded.Source.BOM);
    }

    @Test
    void invalidUtf8IsReplacedAndNoted() throws Exception {
        byte[] good = rss("", "<item><title>ok</title><link>https://herald.example/a</link></item>").getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(good, good.length);
        int at = new String(good, StandardCharsets.UTF_8).indexOf(">ok<") + 1;
        bad[at] = (byte) 0xFF;
        ParsedFeed feed = parser.parse(bad, Optional.empty(), BASE);
        assertThat(feed.items().get(0).title()).isEqualTo("\uFFFDk");
        assertThat(feed.notes()).singleElement().asString().contains("invalid UTF-8 at byte " + at);
    }

    @Test
    void relativeLinksResolveAgainstXmlBaseThenTheFeedAddress() throws Exception {
        ParsedFeed rss = parse(rss("", "<item xml:base=\"https://cdn.herald.example/news/\"><title>a</title><link>a.html</link></item>"
                + "<item><title>b</title><link>../b.html</link></item>"));
        assertThat(rss.items()).extracting(i -> i.link().orElseThrow())
                .containsExactly("https://cdn.herald.example/news/a.html", "https://herald.example/b.html");
        ParsedFeed atom = parse("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://wire.example/2025/\"><title>Wire</title>"
                + "<id>urn:x</id><updated>2025-11-16T10:00:00Z</updated>"
                + "<entry><title>e</title><id>urn:e</id><updated>2025-11-16T10:00:00Z</updated><link href=\"story.html\"/></entry></feed>");
        assertThat(atom.format()).isEqualTo("atom_1.0");
        assertThat(atom.items().get(0).link()).contains("https://wire.example/2025/story.html");
    }

    @Test
    void implausibleDatesAreDroppedByTheDocumentedRule() throws Exception {
        ParsedFeed feed = parse(rss("", "<item><title>epoch</title><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>"
                + "<item><title>future</title><pubDate>Sat, 01 Jan 2095 00:00:00 GMT</pubDate></item>"
                + "<item><title>none</title></item>"
                + "<item><title>garbled</title><pubDate>the day before yesterday</pubDate></item>"));
        assertThat(feed.items()).extracting(FeedItem::dateVerdict)
                .containsExactly(DateRule.Verdict.TOO_OLD, DateRule.Verdict.FUTURE, DateRule.Verdict.MISSING, DateRule.Verdict.MISSING);
        assertThat(feed.items()).allSatisfy(i -> assertThat(i.published()).isEmpty());
    }

    @Test
    void readsJsonFeed11AndJsonFeed10() throws Exception {
        String v11 = """
                {"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "home_page_url": "https://wire.example/",
                 "language": "es",
                 "items": [
                   {"id": 42, "url": "/2025/a.html", "title": "EE.UU. designa", "content_text": "Texto.",
                    "date_published": "2025-11-16T10:00:00-05:00", "authors": [{"name": "Ana"}]},
                   {"id": "b", "external_url": "https://other.example/b", "content_html": "<p>Solo <b>HTML</b></p>"}
                 ]}""";
        ParsedFeed feed = parse(v11);
        assertThat(feed.format()).isEqualTo("json_1.1");
        assertThat(feed.language()).contains("es");
        assertThat(feed.items()).hasSize(2);
        FeedItem a = feed.items().get(0);
        assertThat(a.guid()).contains("42");
        assertThat(a.link()).contains("https://herald.example/2025/a.html");
        assertThat(a.published()).contains(Instant.parse("2025-11-16T15:00:00Z"));
        assertThat(a.author()).contains("Ana");
        assertThat(feed.items().get(1).summary()).isEqualTo("Solo HTML");
        ParsedFeed v10 = parse("{\"version\":\"https://jsonfeed.org/version/1\",\"title\":\"Old\",\"items\":[{\"id\":\"1\",\"author\":{\"name\":\"Bo\"}}]}");
        assertThat(v10.format()).isEqualTo("json_1.0");
        assertThat(v10.items().get(0).author()).contains("Bo");
    }

    @Test
    void jsonThatIsNoJsonFeedIsRejectedClearly() {
        assertThat(rejection("{\"title\": \"x\"}".getBytes(StandardCharsets.UTF_8), Optional.empty()).getMessage()).contains("no \"version\"");
        FeedParseException broken = rejection("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [".getBytes(StandardCharsets.UTF_8), Optional.empty());
        assertThat(broken.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(broken.getMessage()).contains("line 1");
    }
}
