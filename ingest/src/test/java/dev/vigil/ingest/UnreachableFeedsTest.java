package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.IngestError;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bundled world-news feeds on a machine without a network (like the one these tests run on):
 * every name fails to resolve. Each feed shows up as unreachable in its health, backs off
 * exponentially with jitter (never spins), stays scheduled, and a good feed beside them is
 * published as if nothing happened. No DNS query leaves the machine: the resolver is a lambda.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnreachableFeedsTest {

    @Test
    void bundledFeedsWithoutANetworkAreUnreachableBackOffAndDisturbNothingElse() throws Exception {
        List<FeedSpec> bundled = FeedsFile.loadBundled().feeds();
        try (FixtureServer server = new FixtureServer();
             TestIngest ingest = new TestIngest(20, Duration.ofSeconds(3), host -> {
                 throw new UnknownHostException(host + ": no DNS on this machine");
             }, () -> ThreadLocalRandom.current().nextDouble())) {
            server.route("/good.rss", 200, "application/rss+xml", "<rss version=\"2.0\"><channel><title>Good</title><link>http://x/</link><description>d</description>"
                    + FeedPollerTest.itemWithGuid("g1", "Good story", "/a/1", 1) + "</channel></rss>").route("/a/1", 200, "text/html", FeedPollerTest.PAGE);
            Map<FeedId, AtomicInteger> polls = new ConcurrentHashMap<>();
            int[] maxFailures = {0};
            try (PollScheduler scheduler = new PollScheduler(4, Clock.systemUTC(), p -> polls.computeIfAbsent(p.spec().id(), k -> new AtomicInteger()).incrementAndGet())) {
                long t0 = System.nanoTime();
                scheduler.start();
                FeedId good = new FeedId("good");
                scheduler.add(new FeedPoller(new FeedSpec(good, server.uri("/good.rss"), null, null, Duration.ofSeconds(1)), ingest.ctx, Optional.empty()));
                for (FeedSpec f : bundled) {
                    // the bundled list as it is, but every second instead of every ten minutes, to see several backoffs in seconds
                    scheduler.add(new FeedPoller(new FeedSpec(f.id(), f.url(), f.source(), f.language(), f.region(), Duration.ofSeconds(1),
                            Duration.ofSeconds(1), Duration.ofHours(1)), ingest.ctx, Optional.empty()));
                }
                Await.until(Duration.ofSeconds(30), "the good feed polled six times", () -> polls.getOrDefault(good, new AtomicInteger()).get() >= 6);
                // backing off at least 1 s, 2 s, 4 s…, failure k comes 2^(k-1) - 1 seconds or more after the first:
                // in T seconds at most log2(T + 1) + 1 failures (4 in the usual 6-8 s); once a second would be T
                double seconds = (System.nanoTime() - t0) / 1e9;
                int most = (int) Math.floor(Math.log(seconds + 1) / Math.log(2)) + 1;
                maxFailures[0] = most;

                assertThat(scheduler.size()).as("no feed dropped from the schedule").isEqualTo(bundled.size() + 1);
                List<FeedState> states = scheduler.pollers().stream().map(FeedPoller::state).filter(s -> !s.feed().equals(good)).toList();
                assertThat(states).hasSize(bundled.size()).allSatisfy(s -> {
                    assertThat(s.lastSuccess()).isNull();
                    assertThat(s.lastError()).startsWith("fetch_feed unreachable: cannot resolve ");
                    assertThat(s.consecutiveFailures()).as("%s after %.1f s", s.feed().value(), seconds).isBetween(1, most);
                    long n = s.consecutiveFailures();
                    Duration wait = Duration.between(s.lastAttempt(), s.nextPoll());
                    assertThat(wait).as("%s: the wait after %d failures", s.feed(), n)
                            .isBetween(Duration.ofMillis((1000L << n) / 2 - 50), Duration.ofMillis((1000L << n) + 3000));
                });
                Set<Long> firstWaits = states.stream().filter(s -> s.consecutiveFailures() == 1)
                        .map(s -> Duration.between(s.lastAttempt(), s.nextPoll()).toMillis()).collect(Collectors.toCollection(HashSet::new));
                Set<Long> allWaits = states.stream().map(s -> Duration.between(s.lastAttempt(), s.nextPoll()).toMillis()).collect(Collectors.toSet());
                assertThat(allWaits.size()).as("jitter: the feeds do not retry in lock-step (first waits %s)", firstWaits).isGreaterThan(bundled.size() / 2);
            }
            assertThat(ingest.published).extracting(a -> a.title()).containsExactly("Good story");
            List<FeedId> unreachable = new ArrayList<>();
            ingest.errors.stream().filter(e -> e.reason() == IngestError.Reason.UNREACHABLE).forEach(e -> unreachable.add(e.feed()));
            assertThat(new HashSet<>(unreachable)).as("each bundled feed reported as unreachable")
                    .containsExactlyInAnyOrderElementsOf(bundled.stream().map(FeedSpec::id).toList());
            assertThat(ingest.count(IngestMetrics.POLLS, "outcome", "error")).isBetween((double) bundled.size(), bundled.size() * (double) maxFailures[0]);
        }
    }
}
