package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.PollIntervals;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedsFileTest {

    @Test
    void readsFeedsWithDefaults() {
        FeedsFile.Loaded file = FeedsFile.parse("feeds.yaml", """
                defaults:
                  interval: 2m
                feeds:
                  - id: herald
                    url: https://herald.example/world.rss
                    source: Caribbean Herald
                    language: en
                  - id: wire
                    url: http://wire.example/atom.xml
                    interval: 30s
                """);
        List<FeedSpec> feeds = file.feeds();
        assertThat(feeds).hasSize(2);
        assertThat(feeds.get(0).interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(feeds.get(0).source()).isEqualTo("Caribbean Herald");
        assertThat(feeds.get(1).interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(feeds.get(1).source()).isNull();
        assertThat(feeds.get(1).minInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(feeds.get(0).maxInterval()).isEqualTo(PollIntervals.DEFAULTS.max());
        assertThat(file.allow()).isEmpty();
        assertThat(file.backfill()).isEqualTo(IngestSettings.DEFAULT_BACKFILL);
    }

    @Test
    void readsEgressAllowListBackfillAndIntervalBounds() {
        FeedsFile.Loaded file = FeedsFile.parse("feeds.yaml", """
                defaults:
                  interval: 5m
                  min-interval: 30s
                  max-interval: 2h
                  backfill: 5
                egress:
                  allow: [10.20.0.0/16, "fd00::/8", 127.0.0.1]
                feeds:
                  - id: intranet
                    url: http://news.internal/feed.xml
                """);
        assertThat(file.allow()).extracting(Object::toString).containsExactly("10.20.0.0/16", "fd00:0:0:0:0:0:0:0/8", "127.0.0.1/32");
        assertThat(file.backfill()).isEqualTo(5);
        assertThat(file.feeds().get(0).minInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(file.feeds().get(0).maxInterval()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void reportsABadAllowListEntryWithItsPlace() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> FeedsFile.parse("feeds.yaml", """
                egress:
                  allow: [intranet.example]
                feeds:
                  - id: a
                    url: https://a.example/
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).singleElement().asString()
                .startsWith("feeds.yaml:2:11: egress.allow[0]: expected an IP address or range");
    }

    @Test
    void reportsEveryProblemWithItsPlace() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> FeedsFile.parse("feeds.yaml", """
                feeds:
                  - id: herald
                    url: ftp://herald.example/world.rss
                  - id: herald
                    url: https://x.example/
                    every: 5m
                  - url: https://y.example/
                    interval: soon
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "feeds.yaml:3:10: feeds[0].url: expected an absolute http(s) URL, found 'ftp://herald.example/world.rss'",
                "feeds.yaml:4:9: feeds[1].id: feed id 'herald' is used twice",
                "feeds.yaml:6:5: feeds[1].every: unknown key; expected one of id, interval, language, max-interval, min-interval, region, source, url",
                "feeds.yaml:7:5: feeds[2]: missing key 'id': a short name for the feed, such as caribbean-herald",
                "feeds.yaml:8:15: feeds[2].interval: expected a duration such as 30s, 5m or 24h, found 'soon'");
    }

    @Test
    void readsLanguageAndRegionAsLowerCaseTags() {
        FeedsFile.Loaded file = FeedsFile.parse("feeds.yaml", """
                feeds:
                  - {id: a, url: "https://a.example/", language: en-GB, region: GB}
                """);
        assertThat(file.feeds().get(0).language()).isEqualTo("en-gb");
        assertThat(file.feeds().get(0).region()).isEqualTo("gb");
    }

    @Test
    void reportsABadLanguageOrRegionWithItsPlace() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> FeedsFile.parse("feeds.yaml", """
                feeds:
                  - {id: a, url: "https://a.example/", language: English, region: "Latin America"}
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "feeds.yaml:2:50: feeds[0].language: expected a language tag such as en, es or pt-br, found 'English'",
                "feeds.yaml:2:67: feeds[0].region: expected a country code or a word such as gb, world or latam, found 'Latin America'");
    }

    @Test
    void theBundledListIsRealWorldNewsInEnglishAndSpanish() {
        FeedsFile.Loaded bundled = FeedsFile.loadBundled();
        assertThat(bundled.feeds()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(bundled.feeds()).allSatisfy(f -> {
            assertThat(f.url().getScheme()).isEqualTo("https");
            assertThat(f.source()).isNotBlank();
            assertThat(f.language()).isIn("en", "es");
            assertThat(f.region()).isNotBlank();
            assertThat(f.minInterval()).as("polite: no faster than every five minutes").isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        });
        assertThat(bundled.feeds()).filteredOn(f -> f.language().equals("es")).hasSizeGreaterThanOrEqualTo(8);
        assertThat(bundled.feeds()).extracting(FeedSpec::source)
                .contains("BBC News", "The Guardian", "Al Jazeera English", "NPR", "DW", "France 24", "El País", "BBC News Mundo", "Agencia EFE", "Infobae");
        assertThat(bundled.feeds()).extracting(FeedSpec::url).doesNotHaveDuplicates();
        assertThat(bundled.allow()).as("the bundled list needs no exception to the egress guard").isEmpty();
    }
}
