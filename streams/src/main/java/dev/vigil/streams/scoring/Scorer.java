package dev.vigil.streams.scoring;

import dev.vigil.model.Alert;
import dev.vigil.model.ArticleId;
import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.streams.rules.AlertingPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The escalation arithmetic, free of Kafka so it can be reasoned about and tested alone; the
 * formula is documented in {@code docs/scoring.md}.
 *
 * <p>A topic's window {@code (end − window, end]} ends at the newest event time seen for the topic
 * (or now, when the wall clock slides it). Articles are grouped into stories: the same article id
 * or a near-duplicate body is one story. The score sums, over the stories in the window,
 * {@code weight × breadth × repeat}: the strongest copy's signal weight, times
 * {@code 1 + β·ln(outlets)} for the outlets that carried it, times {@code ρ^(k-1)} for the k-th
 * strongest story first told by the same outlet. The level follows {@link AlertingPolicy#next},
 * optionally held for a minimum duration before rising; every change of level is one alert.
 *
 * <p>The state a step returns always fits in one changelog record: weaker stories are compacted,
 * then the weakest dropped, when it would not ({@link #MAX_WINDOW_STORIES}, {@link TopicState#MAX_BYTES}).
 */
public final class Scorer {

    /** Stories listed in an alert, strongest contribution first. */
    static final int MAX_STORIES = 5;
    /** Stories that keep their full evidence when the state must shed: the alert's few, with room to change places. */
    static final int FULL_STORIES = 2 * MAX_STORIES;
    /** The most stories a topic keeps in its window; past it the weakest are dropped ({@code docs/scoring.md}). */
    static final int MAX_WINDOW_STORIES = 1_000;
    private static final DateTimeFormatter EPISODE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Supplier<AlertingPolicy> policy;
    private final ScoringParameters parameters;
    private final Clock clock;

    /** A scorer with a fixed policy and the system clock. */
    public Scorer(AlertingPolicy policy, ScoringParameters parameters) {
        this(() -> policy, parameters, Clock.systemUTC());
    }

    /**
     * @param policy     the alerting policy in force, read at every step, so a new rule set release
     *                   changes window, thresholds and hysteresis without a restart
     * @param clock      stamps {@code decidedAt} on alerts (wall clock, unlike their event time)
     */
    public Scorer(Supplier<AlertingPolicy> policy, ScoringParameters parameters, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ScoringParameters parameters() {
        return parameters;
    }

    /** What became of a hit; a bounded metric tag. */
    public enum Outcome {
        /** A story not seen before. */
        NEW_STORY,
        /** A near-duplicate of a story in the window: one more copy, one more outlet perhaps. */
        COPY,
        /** The same article again, perhaps edited: its story's evidence is refreshed. */
        UPDATE,
        /** An article seen before whose story has left the window: not counted again. */
        DUPLICATE,
        /** An article whose event time was already outside the window when it arrived. */
        LATE
    }

    /**
     * The result of one step.
     *
     * @param state   the state to store
     * @param score   the score to publish
     * @param alert   the level change, if any
     * @param outcome what became of the hit ({@code null} for a window slide)
     * @param story   the story the hit joined ({@code null} unless counted)
     * @param dropped stories dropped in this step to keep the state under the record limit
     */
    public record Step(TopicState state, TopicScore score, Optional<Alert> alert, Outcome outcome, ArticleId story, int dropped) {

        /** Whether this step is the first of its episode to drop stories: the one worth a log line. */
        public boolean firstDropOfEpisode() {
            return dropped > 0 && state.dropped() == dropped;
        }
    }

    /**
     * Counts a hit.
     *
     * @param seenBefore whether this article id was counted for this topic within the dedupe retention
     */
    public Step onHit(TopicState previous, TopicName topic, TopicHit hit, boolean seenBefore) {
        AlertingPolicy policy = this.policy.get();
        TopicState state = previous != null ? previous : TopicState.empty(topic, hit.eventTime(), hit.rulesVersion());
        Instant newest = state.newest().isAfter(hit.eventTime()) ? state.newest() : hit.eventTime();
        Instant start = newest.minus(policy.window());
        List<Story> stories = new ArrayList<>(state.stories());

        Outcome outcome;
        ArticleId storyId = null;
        int same = indexOf(stories, s -> s.contains(hit.article()));
        if (same >= 0) {
            outcome = Outcome.UPDATE;
            stories.set(same, stories.get(same).with(hit));
            storyId = stories.get(same).id();
        } else if (seenBefore) {
            outcome = Outcome.DUPLICATE;
        } else if (!hit.eventTime().isAfter(start)) {
            outcome = Outcome.LATE;
        } else {
            int near = nearest(stories, hit);
            if (near >= 0) {
                outcome = Outcome.COPY;
                stories.set(near, stories.get(near).with(hit));
                storyId = stories.get(near).id();
            } else {
                outcome = Outcome.NEW_STORY;
                stories.add(Story.of(hit));
                storyId = hit.article();
            }
        }
        return evaluate(policy, state, newest, newest, stories, hit.rulesVersion(), outcome, storyId);
    }

    /** Slides the window to {@code now} when that is past the newest article; may resolve or fire a pending level. */
    public Optional<Step> onTime(TopicState state, Instant now) {
        if (!now.isAfter(state.newest()) || state.stories().isEmpty() && state.level() == Level.NORMAL && state.pending() == null) {
            return Optional.empty();
        }
        Step step = evaluate(policy.get(), state, state.newest(), now, state.stories(), state.rulesVersion(), null, null);
        boolean changed = step.state().stories().size() != state.stories().size() || step.state().level() != state.level()
                || !Objects.equals(step.state().pending(), state.pending());
        return changed ? Optional.of(step) : Optional.empty();
    }

    private Step evaluate(AlertingPolicy policy, TopicState state, Instant newest, Instant end, List<Story> candidates, String rulesVersion,
            Outcome outcome, ArticleId storyId) {
        Instant start = end.minus(policy.window());
        List<Story> inWindow = new ArrayList<>(candidates.stream().filter(s -> s.eventTime().isAfter(start)).toList());
        int dropped = bound(state, newest, rulesVersion, inWindow);
        List<Counted> counted = count(inWindow);
        double score = counted.stream().mapToDouble(Counted::contribution).sum();
        Set<String> sources = new HashSet<>();
        inWindow.forEach(s -> sources.addAll(s.outlets()));
        // outlet names are capped per story; a story's own count is a floor for the window's
        int outlets = Math.max(sources.size(), inWindow.stream().mapToInt(Story::outletCount).max().orElse(0));
        TopicScore.Window window = new TopicScore.Window(start, end);

        Level target = policy.next(state.level(), score);
        Level level = state.level();
        TopicState.Pending pending = null;
        if (target.compareTo(level) < 0) {
            level = target;
        } else if (target.compareTo(level) > 0) {
            Instant since = state.pending() != null ? state.pending().since() : end;
            if (Duration.between(since, end).compareTo(policy.minDuration()) >= 0) {
                level = target;
            } else {
                pending = new TopicState.Pending(target, since);
            }
        }
        TopicScore topicScore = new TopicScore(TopicScore.SCHEMA_VERSION, state.topic(), score, level, window, inWindow.size(), outlets, rulesVersion);

        if (level == state.level()) {
            TopicState next = new TopicState(state.topic(), level, state.episode(), state.change(), newest, rulesVersion, pending, inWindow,
                    state.dropped() + dropped);
            return new Step(next, topicScore, Optional.empty(), outcome, storyId, dropped);
        }
        String episode = state.episode() != null ? state.episode() : state.topic().value() + "." + EPISODE_TIME.format(end.truncatedTo(ChronoUnit.SECONDS));
        int change = state.change() + 1;
        Alert.Data data = new Alert.Data(Alert.Data.SCHEMA_VERSION, state.topic(), episode, change, level, state.level(),
                Alert.Transition.between(state.level(), level), score, policy.thresholds(), window, rulesVersion,
                stories(counted, score), inWindow.size(), outlets, clock.instant());
        Alert alert = Alert.of(end, data);
        // a new episode (or none) starts its own count of dropped stories
        int droppedInEpisode = episode.equals(state.episode()) && level != Level.NORMAL ? state.dropped() + dropped : dropped;
        TopicState next = level == Level.NORMAL
                ? new TopicState(state.topic(), level, null, 0, newest, rulesVersion, null, inWindow, droppedInEpisode)
                : new TopicState(state.topic(), level, episode, change, newest, rulesVersion, null, inWindow, droppedInEpisode);
        return new Step(next, topicScore, Optional.of(alert), outcome, storyId, dropped);
    }

    /**
     * Keeps {@code stories} within {@link #MAX_WINDOW_STORIES} and the state they make under
     * {@link TopicState#MAX_BYTES} serialised, measured with the store's own serde: first the
     * stories outside the strongest {@link #FULL_STORIES} are compacted, then the stories that
     * contribute least (the oldest among equals) are dropped, in proportion to the excess.
     *
     * @return the number of stories dropped
     */
    private int bound(TopicState state, Instant newest, String rulesVersion, List<Story> stories) {
        int dropped = 0;
        if (stories.size() > MAX_WINDOW_STORIES) {
            dropped += drop(stories, stories.size() - MAX_WINDOW_STORIES);
        }
        int size;
        while (!stories.isEmpty() && (size = new TopicState(state.topic(), state.level(), state.episode(), state.change(), newest, rulesVersion,
                state.pending(), stories, state.dropped()).serialisedSize()) > TopicState.MAX_BYTES) {
            if (compact(stories, FULL_STORIES)) {
                continue;
            }
            if (stories.size() <= FULL_STORIES && compact(stories, 0)) {
                continue;
            }
            // the average story's share of the excess, and one more
            long excess = (long) stories.size() * (size - TopicState.MAX_BYTES) / size + 1;
            dropped += drop(stories, (int) Math.min(excess, Math.max(1, stories.size() - FULL_STORIES)));
        }
        return dropped;
    }

    /** Compacts every story not among the {@code full} strongest contributions; whether any changed. */
    private boolean compact(List<Story> stories, int full) {
        List<Story> ranked = byContribution(stories);
        List<Story> strongest = ranked.subList(Math.max(0, ranked.size() - full), ranked.size());
        boolean changed = false;
        for (int i = 0; i < stories.size(); i++) {
            Story s = stories.get(i);
            if (!strongest.contains(s) && !s.compacted()) {
                stories.set(i, s.compact());
                changed = true;
            }
        }
        return changed;
    }

    /** Drops the {@code n} stories that contribute least, the oldest first among equals. */
    private int drop(List<Story> stories, int n) {
        List<Story> weakest = byContribution(stories).subList(0, n);
        stories.removeAll(weakest);
        return n;
    }

    /** The stories, weakest contribution first, then oldest. */
    private List<Story> byContribution(List<Story> stories) {
        return count(stories).stream()
                .sorted(Comparator.comparingDouble(Counted::contribution).thenComparing(c -> c.story().eventTime()).thenComparing(c -> c.story().id().value()))
                .map(Counted::story)
                .toList();
    }

    /** A story with the factors it earned. */
    record Counted(Story story, double breadth, double repeat) {
        double contribution() {
            return story.weight() * breadth * repeat;
        }
    }

    /** Applies breadth and same-outlet repeat factors to every story in the window. */
    List<Counted> count(List<Story> stories) {
        Map<String, List<Story>> byFirstOutlet = new HashMap<>();
        for (Story s : stories) {
            byFirstOutlet.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s);
        }
        List<Counted> out = new ArrayList<>();
        for (List<Story> group : byFirstOutlet.values()) {
            group.sort(Comparator.comparingDouble(Story::weight).reversed().thenComparing(Story::eventTime).thenComparing(s -> s.id().value()));
            for (int rank = 0; rank < group.size(); rank++) {
                Story s = group.get(rank);
                double breadth = 1 + parameters.breadth() * Math.log(Math.max(1, s.outletCount()));
                out.add(new Counted(s, breadth, Math.pow(parameters.sameSourceDecay(), rank)));
            }
        }
        return out;
    }

    private int nearest(List<Story> stories, TopicHit hit) {
        int best = -1;
        double bestSimilarity = parameters.similarity();
        for (int i = 0; i < stories.size(); i++) {
            double similarity = StorySignature.similarity(stories.get(i).signature(), hit.signature());
            if (similarity >= bestSimilarity) {
                best = i;
                bestSimilarity = similarity;
            }
        }
        return best;
    }

    private static int indexOf(List<Story> stories, java.util.function.Predicate<Story> p) {
        for (int i = 0; i < stories.size(); i++) {
            if (p.test(stories.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<Alert.Story> stories(List<Counted> counted, double score) {
        return counted.stream()
                .sorted(Comparator.comparingDouble(Counted::contribution).reversed().thenComparing(c -> c.story().eventTime(), Comparator.reverseOrder()))
                .limit(MAX_STORIES)
                .map(c -> {
                    Story s = c.story();
                    return new Alert.Story(s.id(), s.title(), s.url(), s.source(), s.eventTime(), s.weight(),
                            score > 0 ? c.contribution() / score : 0, s.signals(), s.evidence(), s.outlets(), s.copyCount(),
                            c.breadth(), c.repeat(), c.contribution());
                })
                .toList();
    }
}
