package dev.vigil.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One change of a topic's escalation level: the value of {@code vigil.alerts}, keyed by topic.
 *
 * <p>The envelope follows CloudEvents 1.0 (structured JSON mode), so any CloudEvents tooling can
 * route it; {@link Data} is Vigil's own payload. The {@link #id()} is stable for one episode and
 * level: a redelivered or replayed alert carries the same id, and receivers de-duplicate on it.
 *
 * <pre>{@code
 * {"specversion":"1.0","id":"venezuela.20251124T080000Z.1.elevated","source":"vigil/streams",
 *  "type":"dev.vigil.alert.firing","time":"2025-11-24T08:00:00Z","data":{"topic":"venezuela",...}}
 * }</pre>
 */
public record Alert(String specversion, String id, String source, String type, Instant time, Data data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "vigil/streams";

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        specversion = Objects.requireNonNullElse(specversion, SPEC_VERSION);
        source = Objects.requireNonNullElse(source, SOURCE);
    }

    /**
     * Builds the envelope around a payload. The id is derived from the episode, the number of the
     * change within it and the new level, so the same decision always gets the same id.
     */
    public static Alert of(Instant time, Data data) {
        String id = data.episode() + "." + data.change() + "." + data.level().wireName();
        return new Alert(SPEC_VERSION, id, SOURCE, "dev.vigil.alert." + data.transition().wireName(), time, data);
    }

    /**
     * The payload.
     *
     * @param schemaVersion  version of this JSON shape, {@value #SCHEMA_VERSION} today; any other is
     *                       refused ({@link UnsupportedSchemaException}), so a reader never guesses
     *                       at a shape it does not know
     * @param topic          the watched topic
     * @param episode        id of the escalation episode: topic and the event time it started
     * @param change         1 for the change that opened the episode, then 2, 3, …
     * @param level          the new level
     * @param previousLevel  the level before
     * @param transition     how the level changed
     * @param score          the score that caused the change
     * @param thresholds     entry threshold per level
     * @param window         the event-time window the score covers
     * @param rulesVersion   the rule set version that tagged the evidence
     * @param stories        the evidence, strongest first (at most five)
     * @param storyCount     stories in the window
     * @param sourceCount    distinct outlets in the window
     * @param decidedAt      wall-clock time the decision was taken (the envelope's {@code time} is
     *                       event time); {@code null} from writers that predate it
     */
    public record Data(
            int schemaVersion,
            TopicName topic,
            String episode,
            int change,
            Level level,
            Level previousLevel,
            Transition transition,
            double score,
            Map<Level, Double> thresholds,
            TopicScore.Window window,
            String rulesVersion,
            List<Story> stories,
            int storyCount,
            int sourceCount,
            Instant decidedAt) {

        public static final int SCHEMA_VERSION = 1;

        public Data {
            if (schemaVersion != SCHEMA_VERSION) {
                throw new UnsupportedSchemaException("schemaVersion: expected " + SCHEMA_VERSION + ", found " + schemaVersion);
            }
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(episode, "episode");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(previousLevel, "previousLevel");
            Objects.requireNonNull(transition, "transition");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(rulesVersion, "rulesVersion");
            if (change < 1) {
                throw new IllegalArgumentException("change: expected >= 1, found " + change);
            }
            thresholds = Map.copyOf(thresholds);
            stories = List.copyOf(stories);
        }

        /** A payload whose story and outlet counts are those of the stories listed, with no decision time. */
        public Data(int schemaVersion, TopicName topic, String episode, int change, Level level, Level previousLevel, Transition transition,
                double score, Map<Level, Double> thresholds, TopicScore.Window window, String rulesVersion, List<Story> stories) {
            this(schemaVersion, topic, episode, change, level, previousLevel, transition, score, thresholds, window, rulesVersion, stories,
                    stories.size(), (int) stories.stream().map(Story::source).distinct().count(), null);
        }
    }

    /**
     * One story behind an alert: an article and its syndicated copies, counted once.
     *
     * @param id           the id of the story's first article
     * @param title        headline
     * @param url          link to the first article
     * @param source       outlet that published it first
     * @param published    event time the story counted at
     * @param weight       the signal weight of the story (the strongest of its copies)
     * @param share        its share of the score, 0..1
     * @param signals      the signals found in it
     * @param evidence     matched terms with snippets
     * @param outlets      every outlet that carried it
     * @param copies       how many articles (copies) it gathered
     * @param breadth      the factor its number of outlets earned ({@code 1 + β·ln(outlets)})
     * @param repeat       the factor for being one more story from the same outlet ({@code ρ^(rank-1)})
     * @param contribution what it added to the score: {@code weight × breadth × repeat}
     */
    public record Story(
            ArticleId id,
            String title,
            String url,
            String source,
            Instant published,
            double weight,
            double share,
            List<RuleId> signals,
            List<Evidence> evidence,
            List<String> outlets,
            int copies,
            double breadth,
            double repeat,
            double contribution) {

        public Story {
            Objects.requireNonNull(id, "id");
            title = Objects.requireNonNullElse(title, "");
            url = Objects.requireNonNullElse(url, "");
            source = Objects.requireNonNullElse(source, "");
            signals = List.copyOf(signals);
            evidence = List.copyOf(evidence);
            outlets = outlets == null ? List.of() : List.copyOf(outlets);
        }

        /** A story of one article from one outlet, counted at its full weight. */
        public Story(ArticleId id, String title, String url, String source, Instant published, double weight, double share,
                List<RuleId> signals, List<Evidence> evidence) {
            this(id, title, url, source, published, weight, share, signals, evidence, source == null || source.isEmpty() ? List.of() : List.of(source),
                    1, 1, 1, weight);
        }
    }

    /** How a topic's level changed. */
    public enum Transition {
        /** From normal to a level. */
        FIRING,
        /** Up from one level to a higher one. */
        ESCALATED,
        /** Down to a lower level that is still above normal. */
        DEESCALATED,
        /** Back to normal. */
        RESOLVED;

        public static Transition between(Level from, Level to) {
            if (from == to) {
                throw new IllegalArgumentException("transition: level did not change (" + from.wireName() + ")");
            }
            if (to == Level.NORMAL) {
                return RESOLVED;
            }
            if (from == Level.NORMAL) {
                return FIRING;
            }
            return to.isAbove(from) ? ESCALATED : DEESCALATED;
        }

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
