package dev.vigil.streams.scoring;

import dev.vigil.model.Alert;
import dev.vigil.model.Level;
import dev.vigil.model.TopicName;
import dev.vigil.model.TopicScore;
import dev.vigil.streams.rules.AlertingPolicy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The escalation arithmetic, free of Kafka so it can be reasoned about and tested alone.
 *
 * <p>A topic's score is the sum of the weights of its stories whose event time lies in the window
 * {@code (end - window, end]}, where {@code end} is the newest event time seen for the topic, or
 * now when that is later. An article counts once however often it arrives (the newest copy wins).
 * The level follows {@link AlertingPolicy#next}; every change of level is one alert.
 */
public final class Scorer {

    /** Stories listed in an alert, strongest first. */
    static final int MAX_STORIES = 5;
    private static final DateTimeFormatter EPISODE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AlertingPolicy policy;

    public Scorer(AlertingPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The result of one step: the state to store, the score to publish, maybe an alert. */
    public record Step(TopicState state, TopicScore score, Optional<Alert> alert, boolean counted) {
    }

    /** Counts a hit; {@code counted} is false when it is already outside the window (too late). */
    public Step onHit(TopicState previous, TopicName topic, TopicHit hit) {
        TopicState state = previous != null ? previous : TopicState.empty(topic, hit.eventTime(), hit.rulesVersion());
        Instant newest = state.newest().isAfter(hit.eventTime()) ? state.newest() : hit.eventTime();
        Instant windowStart = newest.minus(policy.window());
        boolean counted = hit.eventTime().isAfter(windowStart);
        List<TopicHit> hits = new ArrayList<>();
        for (TopicHit h : state.hits()) {
            if (!h.article().equals(hit.article())) {
                hits.add(h);
            }
        }
        if (counted) {
            hits.add(hit);
        }
        return evaluate(state, newest, newest, hits, hit.rulesVersion(), counted);
    }

    /** Slides the window to {@code now} when that is past the newest article; may resolve. */
    public Optional<Step> onTime(TopicState state, Instant now) {
        if (!now.isAfter(state.newest()) || state.hits().isEmpty() && state.level() == Level.NORMAL) {
            return Optional.empty();
        }
        Step step = evaluate(state, state.newest(), now, state.hits(), state.rulesVersion(), true);
        boolean changed = step.state().hits().size() != state.hits().size() || step.state().level() != state.level();
        return changed ? Optional.of(step) : Optional.empty();
    }

    private Step evaluate(TopicState state, Instant newest, Instant end, List<TopicHit> candidates, String rulesVersion, boolean counted) {
        Instant start = end.minus(policy.window());
        List<TopicHit> inWindow = new ArrayList<>();
        for (TopicHit h : candidates) {
            if (h.eventTime().isAfter(start)) {
                inWindow.add(h);
            }
        }
        double score = inWindow.stream().mapToDouble(TopicHit::weight).sum();
        Set<String> sources = new HashSet<>();
        inWindow.forEach(h -> sources.add(h.source()));
        TopicScore.Window window = new TopicScore.Window(start, end);
        Level level = policy.next(state.level(), score);
        TopicScore topicScore = new TopicScore(TopicScore.SCHEMA_VERSION, state.topic(), score, level, window, inWindow.size(), sources.size(), rulesVersion);

        if (level == state.level()) {
            TopicState next = new TopicState(state.topic(), level, state.episode(), state.change(), newest, rulesVersion, inWindow);
            return new Step(next, topicScore, Optional.empty(), counted);
        }
        String episode = state.episode() != null ? state.episode() : state.topic().value() + "." + EPISODE_TIME.format(end.truncatedTo(ChronoUnit.SECONDS));
        int change = state.change() + 1;
        Alert.Data data = new Alert.Data(Alert.Data.SCHEMA_VERSION, state.topic(), episode, change, level, state.level(),
                Alert.Transition.between(state.level(), level), score, policy.thresholds(), window, rulesVersion, stories(inWindow, score));
        Alert alert = Alert.of(end, data);
        TopicState next = level == Level.NORMAL
                ? new TopicState(state.topic(), level, null, 0, newest, rulesVersion, inWindow)
                : new TopicState(state.topic(), level, episode, change, newest, rulesVersion, inWindow);
        return new Step(next, topicScore, Optional.of(alert), counted);
    }

    private static List<Alert.Story> stories(List<TopicHit> hits, double score) {
        return hits.stream()
                .sorted(Comparator.comparingDouble(TopicHit::weight).reversed().thenComparing(TopicHit::eventTime, Comparator.reverseOrder()))
                .limit(MAX_STORIES)
                .map(h -> new Alert.Story(h.article(), h.title(), h.url(), h.source(), h.eventTime(), h.weight(),
                        score > 0 ? h.weight() / score : 0, h.signals(), h.evidence()))
                .toList();
    }
}
