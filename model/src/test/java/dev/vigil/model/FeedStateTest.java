package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedStateTest {

    static final Instant T0 = Instant.parse("2025-11-24T08:00:00Z");

    @Test
    void feedStateRoundTripsOnTheStateTopic() {
        FeedState s = new FeedState(FeedState.SCHEMA_VERSION, new FeedId("herald"), "https://herald.example/rss", "\"v1\"", null,
                List.of("00112233445566ff"), 60_000, T0.plusSeconds(60), T0, T0, 0, 10, 7, null, null);
        byte[] bytes = Topics.INGEST_STATE.valueSerde().serializer().serialize("t", s);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"etag\":\"\\\"v1\\\"\"").doesNotContain("lastModified");
        assertThat(Topics.INGEST_STATE.value(bytes)).isEqualTo(s);
        assertThat(s.notModifiedShare()).isEqualTo(0.7);
    }

    @Test
    void feedStateRefusesNonsense() {
        assertThatThrownBy(() -> new FeedState(1, new FeedId("h"), "u", null, null, null, 0, T0, null, null, 0, 0, 0, null, null))
                .hasMessageContaining("intervalMillis");
    }

    @Test
    void failureReasonTravelsAsDataAndOlderRecordsReadItFromTheirText() {
        FeedState s = new FeedState(FeedState.SCHEMA_VERSION, new FeedId("herald"), "https://herald.example/rss", null, null, List.of(), 60_000,
                T0, T0, null, 2, 2, 0, "fetch_feed timeout: no answer in 20s", IngestError.Reason.TIMEOUT);
        byte[] bytes = Topics.INGEST_STATE.valueSerde().serializer().serialize("t", s);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"failureReason\":\"timeout\"");
        assertThat(Topics.INGEST_STATE.value(bytes)).isEqualTo(s);
        // written before failureReason existed
        String older = "{\"schemaVersion\":1,\"feed\":\"herald\",\"url\":\"https://herald.example/rss\",\"intervalMillis\":60000,"
                + "\"nextPoll\":\"2025-11-24T08:00:00Z\",\"consecutiveFailures\":4,\"polls\":4,\"notModified\":0,"
                + "\"lastError\":\"fetch_feed unreachable: cannot resolve herald.example: no such host\"}";
        FeedState read = Topics.INGEST_STATE.value(older.getBytes(StandardCharsets.UTF_8));
        assertThat(read.failureReason()).isEqualTo(IngestError.Reason.UNREACHABLE);
        assertThat(read.health()).isEqualTo(FeedHealth.FAILING);
    }

    @Test
    void articleCarriesOptionalBylineAndCanonicalUrlAndReadsOlderJson() {
        Article a = new Article(Article.SCHEMA_VERSION, new ArticleId("u-1"), new FeedId("herald"), "Herald", "https://h.example/a", "T", "B",
                Article.TextOrigin.EXTRACTED, T0, T0, "en", "Ana Pérez", "https://h.example/a-canonical");
        byte[] bytes = Topics.ARTICLES.valueSerde().serializer().serialize("t", a);
        assertThat(Topics.ARTICLES.value(bytes)).isEqualTo(a);
        String older = "{\"schemaVersion\":1,\"id\":\"u-1\",\"feed\":\"herald\",\"textOrigin\":\"EXTRACTED\",\"fetched\":\"2025-11-24T08:00:00Z\"}";
        Article read = Topics.ARTICLES.value(older.getBytes(StandardCharsets.UTF_8));
        assertThat(read.author()).isNull();
        assertThat(read.canonicalUrl()).isNull();
    }
}
