package dev.vigil.streams.rules;

import dev.vigil.model.TopicMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How well a rule set's decisions agree with labelled articles: per topic, the articles it counts
 * as escalation hits against those labelled so. The decision is the matcher's own
 * ({@link Matcher.Evaluation#hits()}), the one scoring adds up and {@code vigil rules test} prints.
 *
 * <pre>{@code
 * RuleQuality.Report report = RuleQuality.of(new Matcher(rules), labelled);
 * report.topics().get("venezuela").recall();
 * }</pre>
 */
public final class RuleQuality {

    private RuleQuality() {
    }

    /**
     * An article with the topics it should count toward as an escalation hit ({@code []} for none).
     *
     * @param language BCP 47 tag, or null when unknown (read in every language of the rules)
     */
    public record Labelled(String id, String title, String text, String language, Set<String> topics) {
        public Labelled {
            Objects.requireNonNull(id, "id");
            title = Objects.requireNonNullElse(title, "");
            text = Objects.requireNonNullElse(text, "");
            topics = Set.copyOf(topics);
        }
    }

    /** True positives, false positives and false negatives of one topic. */
    public record Counts(int tp, int fp, int fn) {
        /** Hits that were right; 1 when the topic was never hit. */
        public double precision() {
            return tp + fp == 0 ? 1 : tp / (double) (tp + fp);
        }

        /** Labelled articles that were hit; 1 when none is labelled. */
        public double recall() {
            return tp + fn == 0 ? 1 : tp / (double) (tp + fn);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        Counts plus(int tp, int fp, int fn) {
            return new Counts(this.tp + tp, this.fp + fp, this.fn + fn);
        }
    }

    /** An article whose decision on {@code topic} differs from its label, with what the rules found in it. */
    public record Mistake(Labelled article, String topic, Matcher.Evaluation found) {
    }

    /** Counts per topic (the rules' topics in file order, then labelled topics the rules lack), misses and false alarms. */
    public record Report(Map<String, Counts> topics, List<Mistake> misses, List<Mistake> falseAlarms) {
        public Report {
            topics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(topics));
            misses = List.copyOf(misses);
            falseAlarms = List.copyOf(falseAlarms);
        }
    }

    public static Report of(Matcher matcher, Iterable<Labelled> articles) {
        Map<String, Counts> topics = new LinkedHashMap<>();
        matcher.rules().topics().forEach(t -> topics.put(t.name().value(), new Counts(0, 0, 0)));
        List<Mistake> misses = new ArrayList<>();
        List<Mistake> falseAlarms = new ArrayList<>();
        for (Labelled article : articles) {
            Matcher.Evaluation found = matcher.evaluate(article.title(), article.text(), article.language());
            Set<String> hits = new java.util.HashSet<>();
            for (TopicMatch hit : found.hits()) {
                hits.add(hit.topic().value());
            }
            article.topics().forEach(t -> topics.putIfAbsent(t, new Counts(0, 0, 0)));
            for (Map.Entry<String, Counts> e : topics.entrySet()) {
                boolean hit = hits.contains(e.getKey());
                boolean labelled = article.topics().contains(e.getKey());
                if (hit || labelled) {
                    e.setValue(e.getValue().plus(hit && labelled ? 1 : 0, hit && !labelled ? 1 : 0, !hit && labelled ? 1 : 0));
                }
                if (hit && !labelled) {
                    falseAlarms.add(new Mistake(article, e.getKey(), found));
                } else if (!hit && labelled) {
                    misses.add(new Mistake(article, e.getKey(), found));
                }
            }
        }
        return new Report(topics, misses, falseAlarms);
    }
}
