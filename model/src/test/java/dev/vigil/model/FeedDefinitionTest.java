package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FeedDefinitionTest {

    static FeedDefinition bbc() {
        return new FeedDefinition(FeedDefinition.SCHEMA_VERSION, new FeedId("bbc-world"), URI.create("https://feeds.bbci.co.uk/news/world/rss.xml"),
                "BBC News", "en-GB", "GB", Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1), "cli", Instant.parse("2026-11-28T09:00:00Z"));
    }

    @Test
    void travelsAsJsonWithReadableDurations() {
        byte[] json = Topics.FEEDS.valueSerde().serializer().serialize("t", bbc());
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"interval\":\"PT5M\"", "\"maxInterval\":\"PT1H\"", "\"language\":\"en-gb\"", "\"region\":\"gb\"");
        assertThat(Topics.FEEDS.value(json)).isEqualTo(bbc());
    }

    @Test
    void sameFeedIgnoresWhoWroteItAndWhen() {
        assertThat(bbc().sameFeed(bbc().writtenBy("bundled", Instant.EPOCH))).isTrue();
        FeedDefinition moved = new FeedDefinition(1, new FeedId("bbc-world"), URI.create("https://feeds.bbci.co.uk/news/rss.xml"), "BBC News", "en", "gb",
                Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1), "cli", Instant.EPOCH);
        assertThat(bbc().sameFeed(moved)).isFalse();
    }

    @Test
    void refusesWhatIngestCouldNotPoll() {
        assertThatThrownBy(() -> new FeedDefinition(1, new FeedId("x"), URI.create("ftp://x.example/"), null, null, null, Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofHours(1), null, Instant.EPOCH)).hasMessageStartingWith("url: expected an absolute http(s) URL");
        assertThatThrownBy(() -> new FeedDefinition(1, new FeedId("x"), URI.create("https://x.example/"), null, null, null, Duration.ofHours(2),
                Duration.ofMinutes(1), Duration.ofHours(1), null, Instant.EPOCH)).hasMessage("interval 2h is outside min-interval 1m .. max-interval 1h");
        assertThatThrownBy(() -> FeedDefinition.language("English")).hasMessageStartingWith("language:");
        assertThat(new FeedDefinition(1, new FeedId("x"), URI.create("https://x.example/"), " ", "", null, Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofHours(1), null, Instant.EPOCH).origin()).isEqualTo("unknown");
    }
}
