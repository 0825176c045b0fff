package dev.vigil.app.status;

import dev.vigil.model.FeedHealth;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code /api/status} and its event stream. */
public final class StatusView {

    private StatusView() {
    }

    /** One score of one topic at one event time (epoch milliseconds). */
    public record Point(String topic, long t, double score, String level) {
    }

    /** A watched topic now, with its recent scores. */
    public record Topic(String topic, String level, double score, int stories, int sources, long at, Map<String, Double> thresholds, List<Point> points) {
    }

    /** A feed that is not healthy, and why: {@code reason} is the bounded word (timeout, unreachable…), {@code lastError} the detail. */
    public record FeedProblem(String feed, String state, int failures, String reason, String lastError) {
    }

    /**
     * Feed health counts for the feeds this process polls ({@link FeedHealth}, as ingest's meter counts them).
     *
     * @param reachable feeds that answered (ok or slowed)
     * @param warning   "0 of 25 feeds reachable" when feeds failed and none is reachable, else {@code null}
     */
    public record Feeds(int total, int ok, int slowed, int failing, int pending, int reachable, String warning, List<FeedProblem> problems) {

        public Feeds {
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        static Feeds of(FeedHealth.Summary s, List<FeedProblem> problems) {
            return new Feeds(s.total(), s.count(FeedHealth.OK), s.count(FeedHealth.SLOWED), s.count(FeedHealth.FAILING), s.count(FeedHealth.PENDING),
                    s.reachable(), s.noneReachable() ? s.reachableText() : null, problems);
        }
    }

    /** Articles per second through this process. */
    public record Throughput(double ingestedPerSecond, double taggedPerSecond) {
    }

    /** The whole board; {@code thresholds} are each level's entry threshold, for charts of topics still to come. */
    public record Snapshot(long version, long now, Map<String, Double> thresholds, List<Topic> topics, Feeds feeds, Throughput throughput) {
    }

    /** What changed: new score points, and the current feeds and throughput. */
    public record Update(long version, List<Point> points, Feeds feeds, Throughput throughput) {
    }
}
