package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.FeedHealth;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReachabilityWatchTest {

    private static FeedHealth.Summary of(FeedHealth... health) {
        return FeedHealth.Summary.count(Stream.of(health));
    }

    @Test
    void saysOnceWhenNothingIsReachableAndOnceWhenSomethingIsAgain() {
        ReachabilityWatch watch = new ReachabilityWatch();
        assertThat(watch.observe(of(FeedHealth.PENDING, FeedHealth.PENDING))).isEmpty();
        assertThat(watch.observe(of(FeedHealth.FAILING, FeedHealth.PENDING))).hasValueSatisfying(line -> assertThat(line).contains("0 of 2 feeds reachable"));
        assertThat(watch.observe(of(FeedHealth.FAILING, FeedHealth.FAILING))).isEmpty();
        assertThat(watch.observe(of(FeedHealth.FAILING, FeedHealth.OK))).contains("ingest: feeds reachable again: 1 of 2 feeds reachable");
        assertThat(watch.observe(of(FeedHealth.SLOWED, FeedHealth.OK))).isEmpty();
        assertThat(watch.observe(of(FeedHealth.FAILING, FeedHealth.FAILING))).isPresent();
    }
}
