package dev.vigil.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.ingest.OpmlFile;
import dev.vigil.model.IngestError.Reason;
import dev.vigil.model.config.InvalidConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds and OPML lists both go through {@link SecureXml}: a document with a DOCTYPE is refused with
 * a clear reason, and nothing it declares is read — not a local file (its content would show in
 * the title or the message), not a DTD or entity on the network (a loopback listener that must see
 * no connection), not an entity-expansion bomb (the test's timeout).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SecureXmlTest {

    private static final String SECRET = "TOP-SECRET-VALUE";

    @TempDir
    Path dir;
    private ServerSocket listener;
    private String secretUri;
    private String networkUri;

    @BeforeEach
    void fixtures() throws IOException {
        secretUri = Files.writeString(dir.resolve("secret.txt"), SECRET).toUri().toString();
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        networkUri = "http://127.0.0.1:" + listener.getLocalPort() + "/evil";
    }

    @AfterEach
    void closeListener() throws IOException {
        listener.close();
    }

    /** Each hostile prologue, with {@code ROOT} for the root element and {@code &x;} as the entity used in the text. */
    private Map<String, String> hostile() {
        StringBuilder lol = new StringBuilder("<!DOCTYPE ROOT [<!ENTITY lol \"lol\">");
        lol.append("<!ENTITY lol1 \"").append("&lol;".repeat(10)).append("\">");
        for (int i = 2; i <= 9; i++) {
            lol.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        lol.append("<!ENTITY x \"&lol9;\">]>");
        Map<String, String> out = new LinkedHashMap<>();
        out.put("a file entity", "<!DOCTYPE ROOT [<!ENTITY x SYSTEM \"" + secretUri + "\">]>");
        out.put("a network entity", "<!DOCTYPE ROOT [<!ENTITY x SYSTEM \"" + networkUri + ".ent\">]>");
        out.put("an external DTD", "<!DOCTYPE ROOT SYSTEM \"" + networkUri + ".dtd\">");
        out.put("a parameter entity", "<!DOCTYPE ROOT [<!ENTITY % p SYSTEM \"" + networkUri + ".pe\"> %p; <!ENTITY x \"y\">]>");
        out.put("billion laughs", lol.toString());
        return out;
    }

    @Test
    void aFeedWithADoctypeIsRefusedAndNothingItDeclaresIsRead() throws IOException {
        FeedParser parser = new FeedParser(Clock.systemUTC());
        for (Map.Entry<String, String> h : hostile().entrySet()) {
            String doc = "<?xml version=\"1.0\"?>" + h.getValue().replace("ROOT", "rss")
                    + "<rss version=\"2.0\"><channel><title>&x;</title><link>http://x/</link><description>d</description></channel></rss>";
            FeedParseException e = catchThrowableOfType(FeedParseException.class,
                    () -> parser.parse(doc.getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty()));
            assertThat(e).as(h.getKey()).isNotNull();
            assertThat(e.reason()).as(h.getKey()).isEqualTo(Reason.MALFORMED);
            assertThat(e.getMessage()).as(h.getKey()).isEqualTo(SecureXml.DOCTYPE_REFUSED).doesNotContain(SECRET);
            assertNoConnection(h.getKey());
        }
    }

    @Test
    void anOpmlListWithADoctypeIsRefusedAndNothingItDeclaresIsRead() throws IOException {
        for (Map.Entry<String, String> h : hostile().entrySet()) {
            String doc = "<?xml version=\"1.0\"?>" + h.getValue().replace("ROOT", "opml")
                    + "<opml version=\"2.0\"><body><outline text=\"&x;\" xmlUrl=\"https://herald.example/rss\"/></body></opml>";
            InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                    () -> OpmlFile.read("evil.opml", doc.getBytes(StandardCharsets.UTF_8)));
            assertThat(e).as(h.getKey()).isNotNull();
            assertThat(e.problems()).as(h.getKey()).singleElement().asString().isEqualTo("evil.opml: " + SecureXml.DOCTYPE_REFUSED);
            assertThat(e.getMessage()).as(h.getKey()).doesNotContain(SECRET);
            assertNoConnection(h.getKey());
        }
    }

    @Test
    void theSameDocumentsWithoutTheDoctypeAreRead() throws Exception {
        // the refusal is of the doctype, not of feeds or lists: without it both read, so the tests above can fail
        ParsedFeed feed = new FeedParser(Clock.systemUTC()).parse(("<rss version=\"2.0\"><channel><title>Herald</title><link>http://x/</link>"
                + "<description>d</description></channel></rss>").getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty());
        assertThat(feed.title()).isEqualTo("Herald");
        OpmlFile.Imported list = OpmlFile.read("good.opml",
                "<opml version=\"2.0\"><body><outline text=\"Herald\" xmlUrl=\"https://herald.example/rss\"/></body></opml>".getBytes(StandardCharsets.UTF_8));
        assertThat(list.feeds()).singleElement().satisfies(f -> assertThat(f.source()).isEqualTo("Herald"));
    }

    /** The parse has returned: a fetch it made would be waiting in the listener's backlog. */
    private void assertNoConnection(String what) throws IOException {
        listener.setSoTimeout(50);
        try (Socket s = listener.accept()) {
            throw new AssertionError(what + ": the parser connected to " + s.getLocalSocketAddress());
        } catch (SocketTimeoutException expected) {
            // nothing connected
        }
    }
}
