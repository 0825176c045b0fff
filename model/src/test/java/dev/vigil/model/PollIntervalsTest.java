package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollIntervalsTest {

    private static final Duration SECONDS_30 = Duration.ofSeconds(30);

    @Test
    void nothingGivenIsTheDefaults() {
        assertThat(PollIntervals.DEFAULTS.resolve(null, null, null))
                .isEqualTo(new PollIntervals(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1)));
    }

    @Test
    void aShortIntervalAloneLowersTheMinimumToItself() {
        assertThat(PollIntervals.DEFAULTS.resolve(SECONDS_30, null, null)).isEqualTo(new PollIntervals(SECONDS_30, SECONDS_30, Duration.ofHours(1)));
    }

    @Test
    void aLongIntervalAloneRaisesTheMaximumToItself() {
        Duration day = Duration.ofDays(1);
        assertThat(PollIntervals.DEFAULTS.resolve(day, null, null)).isEqualTo(new PollIntervals(day, Duration.ofMinutes(1), day));
    }

    @Test
    void aBoundGivenIsKeptEvenWhenTheIntervalFallsOutsideIt() {
        // the caller reports the inconsistency in its own words; resolving never hides it
        assertThat(PollIntervals.DEFAULTS.resolve(SECONDS_30, Duration.ofMinutes(2), null).min()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void resolvesAgainstDefaultsOtherThanTheBuiltInOnes() {
        PollIntervals fileDefaults = new PollIntervals(Duration.ofMinutes(2), SECONDS_30, Duration.ofMinutes(10));
        assertThat(fileDefaults.resolve(Duration.ofSeconds(10), null, null)).isEqualTo(new PollIntervals(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(10)));
        assertThat(fileDefaults.resolve(null, null, Duration.ofMinutes(3))).isEqualTo(new PollIntervals(Duration.ofMinutes(2), SECONDS_30, Duration.ofMinutes(3)));
    }

    @Test
    void saysWhatIsInconsistentInTheWordsOfAFeedsFile() {
        assertThat(PollIntervals.DEFAULTS.problem()).isEmpty();
        // the minimum above the maximum is the first thing wrong, not the interval that falls between them
        assertThat(new PollIntervals(Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofHours(1)).problem())
                .contains("min-interval 2h is longer than max-interval 1h");
        assertThat(new PollIntervals(SECONDS_30, Duration.ofMinutes(1), Duration.ofHours(1)).problem())
                .contains("interval 30s is outside min-interval 1m .. max-interval 1h");
        assertThat(new PollIntervals(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofHours(1)).problem())
                .contains("min-interval 500ms is shorter than 1s");
        assertThat(PollIntervals.text(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(PollIntervals.text(Duration.ZERO)).isEqualTo("0s");
    }
}
