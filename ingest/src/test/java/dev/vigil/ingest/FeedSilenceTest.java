package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedSilenceTest {

    static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

    static FeedState state(Instant lastSuccess, long intervalMillis) {
        return new FeedState(FeedState.SCHEMA_VERSION, new FeedId("f"), "https://f.example/rss", null, null, List.of(), intervalMillis,
                T0, T0, lastSuccess, lastSuccess == null ? 4 : 0, 10, 0, null, null);
    }

    @Test
    void feedIsSilentAfterAnHourOrThreeIntervalsWithoutAnAnswer() {
        assertThat(IngestService.silent(state(T0, 60_000), T0, T0.plus(Duration.ofMinutes(59)))).isFalse();
        assertThat(IngestService.silent(state(T0, 60_000), T0, T0.plus(Duration.ofMinutes(61)))).isTrue();
        // a feed polled every two hours is not silent after one
        assertThat(IngestService.silent(state(T0, Duration.ofHours(2).toMillis()), T0, T0.plus(Duration.ofHours(5)))).isFalse();
        assertThat(IngestService.silent(state(T0, Duration.ofHours(2).toMillis()), T0, T0.plus(Duration.ofHours(7)))).isTrue();
    }

    @Test
    void feedThatNeverAnsweredIsSilentAnHourAfterStart() {
        assertThat(IngestService.silent(state(null, 60_000), T0, T0.plus(Duration.ofMinutes(30)))).isFalse();
        assertThat(IngestService.silent(state(null, 60_000), T0, T0.plus(Duration.ofMinutes(70)))).isTrue();
    }
}
