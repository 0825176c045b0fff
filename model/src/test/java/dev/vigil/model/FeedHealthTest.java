package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedHealthTest {

    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    static FeedState state(String id, Instant lastSuccess, int failures) {
        return new FeedState(FeedState.SCHEMA_VERSION, new FeedId(id), "https://" + id + ".example/rss", null, null, List.of(), 60_000,
                T0, T0, lastSuccess, failures, failures + 1L, 0, failures == 0 ? null : "fetch_feed timeout: slow", failures == 0 ? null : IngestError.Reason.TIMEOUT);
    }

    @Test
    void feedNeverReachedCountsAsFailingFromItsFirstFailure() {
        assertThat(FeedHealth.of(state("a", null, 1))).isEqualTo(FeedHealth.FAILING);
        assertThat(FeedHealth.of(state("a", T0, 1))).isEqualTo(FeedHealth.SLOWED);
        assertThat(FeedHealth.of(state("a", T0, FeedHealth.FAILING_AFTER - 1))).isEqualTo(FeedHealth.SLOWED);
        assertThat(FeedHealth.of(state("a", T0, FeedHealth.FAILING_AFTER))).isEqualTo(FeedHealth.FAILING);
        assertThat(FeedHealth.of(state("a", T0, 0))).isEqualTo(FeedHealth.OK);
        assertThat(FeedHealth.of(state("a", null, 0))).isEqualTo(FeedHealth.PENDING);
        assertThat(FeedHealth.of(null)).isEqualTo(FeedHealth.PENDING);
    }

    @Test
    void summarySaysWhenNoFeedIsReachable() {
        FeedHealth.Summary none = FeedHealth.Summary.of(List.of(state("a", null, 1), state("b", T0, 5), state("c", null, 0)));
        assertThat(none.count(FeedHealth.FAILING)).isEqualTo(2);
        assertThat(none.count(FeedHealth.PENDING)).isEqualTo(1);
        assertThat(none.noneReachable()).isTrue();
        assertThat(none.reachableText()).isEqualTo("0 of 3 feeds reachable");

        FeedHealth.Summary one = FeedHealth.Summary.of(List.of(state("a", null, 1), state("b", T0, 1)));
        assertThat(one.noneReachable()).isFalse();
        assertThat(one.reachableText()).isEqualTo("1 of 2 feeds reachable");
        // before the first poll nothing has failed yet: no warning
        assertThat(FeedHealth.Summary.of(List.of(state("a", null, 0))).noneReachable()).isFalse();
        assertThat(FeedHealth.Summary.of(List.of()).noneReachable()).isFalse();
        assertThat(Arrays.stream(FeedHealth.values()).mapToInt(none::count).sum()).isEqualTo(none.total());
    }
}
