package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FeedAndExtractCommandTest {

    static final String RSS = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Herald</title><link>https://herald.example/</link>"
            + "<description>d</description><item><title>US designates cartel</title><link>https://herald.example/a</link>"
            + "<pubDate>Sun, 16 Nov 2025 10:00:00 GMT</pubDate></item></channel></rss>";
    static final String PAGE = "<html lang=\"en\"><head><title>US designates cartel</title>"
            + "<meta property=\"article:published_time\" content=\"2025-11-16T10:00:00Z\"></head><body><article>"
            + "<p>The United States will designate Cartel de los Soles a foreign terrorist organization, the State Department said on Sunday.</p>"
            + "<p>The designation takes effect on November 24 and allows sanctions against people who support the group.</p></article></body></html>";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ObjectMapper json = new ObjectMapper();

    private int vigil(String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.toString().strip().split("\\R")) {
            nodes.add(json.readTree(line));
        }
        return nodes;
    }

    @Test
    void feedCheckPrintsOneJsonLinePerSourceAndExitsTwoWhenAnyFailed() throws IOException {
        Path good = Files.writeString(dir.resolve("good.xml"), RSS);
        Path bad = Files.writeString(dir.resolve("bad.xml"), "<rss><channel><title>oops</channel>");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/feed.xml", ex -> Replies.send(ex, 200, "application/rss+xml", RSS));
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/feed.xml";
            assertThat(vigil("feed", "check", good.toString(), bad.toString(), dir.resolve("missing.xml").toString(), url)).isEqualTo(2);
            List<JsonNode> lines = lines();
            assertThat(lines).hasSize(4);
            JsonNode ok = lines.get(0);
            assertThat(ok.path("source").asText()).isEqualTo(good.toString());
            assertThat(ok.path("ok").asBoolean()).isTrue();
            assertThat(ok.path("format").asText()).isEqualTo("rss_2.0");
            assertThat(ok.path("title").asText()).isEqualTo("Herald");
            assertThat(ok.path("entries").asInt()).isEqualTo(1);
            assertThat(ok.path("first").path("title").asText()).isEqualTo("US designates cartel");
            assertThat(ok.path("first").path("link").asText()).isEqualTo("https://herald.example/a");
            assertThat(ok.path("first").path("published").asText()).isEqualTo("2025-11-16T10:00:00Z");
            assertThat(lines.get(1).path("ok").asBoolean()).isFalse();
            assertThat(lines.get(1).path("error").asText()).contains("bad.xml").contains("malformed").contains("line 1");
            assertThat(lines.get(2).path("error").asText()).contains("no such file");
            // loopback is refused by the egress guard unless allowed
            assertThat(lines.get(3).path("error").asText()).contains("refused");
            assertThat(out.toString() + err.toString()).doesNotContain("\tat ").doesNotContain("Exception in");

            out.getBuffer().setLength(0);
            assertThat(vigil("feed", "check", "--allow", "127.0.0.1", url, good.toString())).isZero();
            assertThat(lines()).allSatisfy(l -> assertThat(l.path("ok").asBoolean()).isTrue());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void feedCheckReadsCorpusFilesWithoutAStackTrace() throws IOException {
        Path corpus = Path.of(System.getProperty("vigil.corpora", "../shared/corpora"), "feeds", "gofeed", "testdata", "parser", "universal");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(corpus), "no corpus at " + corpus);
        List<String> files = new ArrayList<>();
        try (var s = Files.list(corpus)) {
            s.sorted().forEach(p -> files.add(p.toString()));
        }
        List<String> args = new ArrayList<>(List.of("feed", "check"));
        args.addAll(files);
        int exit = vigil(args.toArray(String[]::new));
        assertThat(exit).isIn(0, 2);
        assertThat(lines()).hasSize(files.size()).allSatisfy(l -> assertThat(l.has("ok")).isTrue());
        assertThat(err.toString()).doesNotContain("\tat ");
    }

    @Test
    void extractPrintsTheArticleOrTheError() throws IOException {
        Path page = Files.writeString(dir.resolve("page.html"), PAGE);
        Path empty = Files.writeString(dir.resolve("empty.html"), "<html><body><nav>Home</nav></body></html>");
        assertThat(vigil("extract", page.toString(), empty.toString())).isEqualTo(2);
        List<JsonNode> lines = lines();
        assertThat(lines.get(0).path("file").asText()).isEqualTo(page.toString());
        assertThat(lines.get(0).path("title").asText()).isEqualTo("US designates cartel");
        assertThat(lines.get(0).path("text").asText()).contains("foreign terrorist organization");
        assertThat(lines.get(0).path("published").asText()).isEqualTo("2025-11-16T10:00:00Z");
        assertThat(lines.get(0).path("language").asText()).isEqualTo("en");
        assertThat(lines.get(1).path("error").asText()).contains("no article text found");
        assertThat(lines.get(1).path("reason").asText()).isEqualTo("no-article");
        assertThat(lines.get(0).has("reason")).isFalse();
        out.getBuffer().setLength(0);
        assertThat(vigil("extract", page.toString())).isZero();
    }

    @Test
    void extractSaysWhyEachPageYieldedNothing() throws IOException {
        Path nothing = Files.writeString(dir.resolve("gallery.html"), "<html><body><nav><a href=\"/\">Home</a></nav><div><img src=\"a.jpg\"></div></body></html>");
        Path stub = Files.writeString(dir.resolve("stub.html"), "<html><body><article><p>Subscribe to read the rest of this story.</p></article></body></html>");
        Path pdf = Files.write(dir.resolve("report.html"), "%PDF-1.7\n1 0 obj << >> endobj".getBytes(StandardCharsets.US_ASCII));
        Path huge = dir.resolve("huge.html");
        try (FileChannel channel = FileChannel.open(huge, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {' '}), ExtractCommand.MAX_BYTES);    // sparse: one byte past the cap
        }
        Path missing = dir.resolve("missing.html");
        assertThat(vigil("extract", nothing.toString(), stub.toString(), pdf.toString(), huge.toString(), missing.toString())).isEqualTo(2);
        List<JsonNode> lines = lines();
        assertThat(lines).extracting(l -> l.path("reason").asText("(none)"))
                .containsExactly("no-article", "too-short", "refused", "refused", "(none)");
        assertThat(lines.get(2).path("error").asText()).contains("PDF");
        assertThat(lines.get(3).path("error").asText()).contains("larger than");
        assertThat(lines.get(4).path("error").asText()).contains("no such file");
    }

    @Test
    void helpOfTheNewCommandsHasExamples() {
        for (String[] command : new String[][] {{"feed", "check", "--help"}, {"extract", "--help"}}) {
            out.getBuffer().setLength(0);
            assertThat(vigil(command)).isZero();
            assertThat(out.toString()).contains("Example", "vigil " + command[0]);
        }
    }
}
