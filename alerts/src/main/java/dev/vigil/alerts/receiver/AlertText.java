package dev.vigil.alerts.receiver;

import dev.vigil.model.Alert;
import dev.vigil.model.Evidence;
import dev.vigil.model.Level;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders an alert as a readable block of plain text: topic, level, score, stories and matched terms. */
public final class AlertText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    private AlertText() {
    }

    /** One line: topic, level, transition and score, e.g. {@code venezuela HIGH (escalated, was elevated) score 17.0}. */
    public static String headline(Alert alert) {
        Alert.Data d = alert.data();
        String score = String.format(Locale.ROOT, "score %.1f", d.score());
        return oneLine(d.topic() + " " + d.level().wireName().toUpperCase(Locale.ROOT) + " (" + d.transition().wireName()
                + ", was " + d.previousLevel().wireName() + ") " + score);
    }

    public static String render(Alert alert) {
        Alert.Data d = alert.data();
        StringBuilder out = new StringBuilder();
        String level = d.level().wireName().toUpperCase(Locale.ROOT);
        // a resolved alert says what it came back under
        String bound = d.level() == Level.NORMAL
                ? String.format(Locale.ROOT, "score %.1f (below elevated from %.1f)", d.score(), d.thresholds().get(Level.ELEVATED))
                : String.format(Locale.ROOT, "score %.1f (%s from %.1f)", d.score(), d.level().wireName(), d.thresholds().get(d.level()));
        out.append("== ALERT ").append(d.topic()).append(' ').append(level).append(" (").append(d.transition().wireName())
                .append(", was ").append(d.previousLevel().wireName()).append(") ").append(bound).append('\n');
        out.append("   window ").append(time(d.window().start())).append(" .. ").append(time(d.window().end()))
                .append(" | rules ").append(d.rulesVersion()).append(" | id ").append(alert.id()).append('\n');
        int n = 1;
        for (Alert.Story story : d.stories()) {
            out.append(String.format(Locale.ROOT, "   %d. [+%.1f, %.0f%%] %s%n", n++, story.contribution(), story.share() * 100, oneLine(story.title())));
            out.append("      ").append(oneLine(story.source())).append(" | ").append(time(story.published())).append(" | ").append(oneLine(story.url())).append('\n');
            if (story.outlets().size() > 1 || story.repeat() < 1) {
                // the breakdown: why this story weighs what it does (docs/scoring.md)
                out.append(String.format(Locale.ROOT, "      weight %.1f x breadth %.2f (%d outlets: %s) x repeat %.2f%n", story.weight(), story.breadth(),
                        story.outlets().size(), oneLine(String.join(", ", story.outlets())), story.repeat()));
            }
            String terms = story.evidence().stream().map(AlertText::term).distinct().collect(Collectors.joining(", "));
            if (!terms.isEmpty()) {
                out.append("      matched: ").append(terms).append('\n');
            }
            story.evidence().stream().findFirst().ifPresent(e -> out.append("      \"").append(oneLine(e.snippet())).append("\"\n"));
        }
        return out.toString();
    }

    private static String term(Evidence e) {
        return e.rule() + "=" + e.term() + " (" + e.field().wireName() + ")";
    }

    static String time(Instant t) {
        return t == null ? "?" : TIME.format(t);
    }

    /** Article text must not be able to forge extra lines in a terminal or log. */
    static String oneLine(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }
}
