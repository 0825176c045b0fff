package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.ingest.feed.FeedParseException;
import dev.vigil.ingest.feed.FeedParser;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.IngestError;
import dev.vigil.model.PollIntervals;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OpmlFileTest {

    static final Path ROME_OPML = Path.of(System.getProperty("vigil.corpora", "../shared/corpora"), "feeds/rome/rome-opml/src/test/resources");

    @Test
    void exportedAndImportedAgainIsTheSameList() {
        Instant now = Instant.parse("2026-11-28T09:00:00Z");
        List<FeedSpec> feeds = new java.util.ArrayList<>(FeedsFile.loadBundled().feeds());
        feeds.add(new FeedSpec(new dev.vigil.model.FeedId("unnamed"), java.net.URI.create("https://unnamed.example/feed"), null, null, java.time.Duration.ofSeconds(90)));
        List<FeedDefinition> catalogue = feeds.stream().map(f -> f.toDefinition("bundled", now)).toList();
        String opml = OpmlFile.write(catalogue, "Vigil feeds", now);

        OpmlFile.Imported back = OpmlFile.read("vigil-feeds.opml", opml.getBytes(StandardCharsets.UTF_8));

        assertThat(back.notes()).isEmpty();
        assertThat(back.feeds()).containsExactlyInAnyOrderElementsOf(feeds);
        assertThat(opml).contains("<opml version=\"2.0\">", "text=\"English\"", "text=\"Español\"",
                "xmlUrl=\"https://feeds.bbci.co.uk/mundo/rss.xml\"", "language=\"es\"", "vigil-region=\"gb\"");
    }

    @Test
    void readsListsFromOtherReadersFlatteningFolders() {
        String opml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <opml version="1.0">
                  <head><title>Feedly export</title></head>
                  <body>
                    <outline text="World" title="World">
                      <outline type="rss" text="BBC News - World" title="BBC News - World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml" htmlUrl="https://www.bbc.co.uk/news"/>
                      <outline type="rss" text="El País" xmlUrl="https://feeds.elpais.com/mrss-s/pages/ep/site/elpais.com/portada" language="es"/>
                    </outline>
                    <outline text="A note with no feed"/>
                    <outline type="rss" text="BBC again" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
                  </body>
                </opml>
                """;
        OpmlFile.Imported imported = OpmlFile.read("feedly.opml", opml.getBytes(StandardCharsets.UTF_8));

        assertThat(imported.feeds()).extracting(f -> f.id().value()).containsExactly("bbc-news-world", "el-pais");
        assertThat(imported.feeds().get(0).source()).isEqualTo("BBC News - World");
        assertThat(imported.feeds().get(1).language()).isEqualTo("es");
        assertThat(imported.feeds().get(0).interval()).isEqualTo(PollIntervals.DEFAULTS.interval());
        assertThat(imported.notes()).containsExactly(
                "feedly.opml:9: outline 'A note with no feed' has no xmlUrl: not a feed, passed over",
                "feedly.opml:10: outline 'BBC again' repeats the feed of 'World/BBC News - World', passed over");
    }

    @Test
    void readsRomesOwnOpmlSamples() {
        Assumptions.assumeTrue(Files.isDirectory(ROME_OPML), "the Rome corpus is not at " + ROME_OPML);
        OpmlFile.Imported v2 = OpmlFile.read(ROME_OPML.resolve("opml_2.0.xml"));
        OpmlFile.Imported v1 = OpmlFile.read(ROME_OPML.resolve("opml_1.0.xml"));

        assertThat(v2.feeds()).hasSizeGreaterThan(10).allSatisfy(f -> assertThat(f.url().getScheme()).isIn("http", "https"));
        assertThat(v2.feeds()).extracting(f -> f.url().toString()).contains("http://www.theregister.co.uk/feeds/latest.rdf");
        assertThat(v2.feeds()).extracting(f -> f.id().value()).doesNotHaveDuplicates();
        assertThat(v1.feeds()).isNotEmpty();
    }

    @Test
    void reportsEveryBadOutlineWithFileLineAndOutline() {
        String opml = """
                <opml version="2.0">
                  <body>
                    <outline text="Folder">
                      <outline type="rss" text="Gopher" xmlUrl="gopher://old.example/feed"/>
                      <outline type="rss" text="Odd" xmlUrl="https://odd.example/rss" vigil-interval="soon" vigil-region="Latin America"/>
                    </outline>
                  </body>
                </opml>
                """;
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> OpmlFile.read("list.opml", opml.getBytes(StandardCharsets.UTF_8)));

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "list.opml:4: Folder/Gopher.xmlUrl: expected an absolute http(s) URL, found 'gopher://old.example/feed'",
                "list.opml:5: Folder/Odd.vigil-region: expected a country code or a word such as gb, world or latam, found 'Latin America'",
                "list.opml:5: Folder/Odd.vigil-interval: expected a duration of at least 1s such as 5m, found 'soon'");
    }

    @Test
    void refusesWhatIsNotOpml() {
        InvalidConfigException rss = catchThrowableOfType(InvalidConfigException.class, () -> OpmlFile.read("feed.xml",
                "<rss version=\"2.0\"><channel><title>x</title></channel></rss>".getBytes(StandardCharsets.UTF_8)));
        assertThat(rss.problems()).singleElement().asString().startsWith("feed.xml:1: not an OPML file (root element <rss>)");
        // doctypes: SecureXmlTest, for OPML and feeds alike
    }

    @Test
    void aFeedParserSaysAnOpmlListIsNoFeed() {
        byte[] opml = OpmlFile.write(List.of(), "empty", Instant.EPOCH).getBytes(StandardCharsets.UTF_8);
        FeedParseException e = catchThrowableOfType(FeedParseException.class, () -> new FeedParser(Clock.systemUTC()).parse(opml, Optional.empty(), Optional.empty()));
        assertThat(e.reason()).isEqualTo(IngestError.Reason.UNSUPPORTED);
        assertThat(e.getMessage()).contains("OPML", "vigil feeds import");
    }
}
