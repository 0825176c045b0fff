package dev.vigil.streams.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole, validated rules file: what is watched, what counts as escalation, and how scores
 * become levels. Immutable; a new file makes a new rule set, swapped in as a whole.
 *
 * @param version   what every tagged article and alert is stamped with: the checksum of the file
 *                  ({@code sha256:35c23bc089ce}), preceded by the release number once it was
 *                  applied to {@code vigil.rules} ({@code v3 sha256:35c23bc089ce})
 * @param checksum  SHA-256 of the file's text, {@code sha256:} and 64 hex digits
 * @param languages the languages articles of unknown language are read in, and terms listed
 *                  without a language are compiled for
 * @param topics    watched topics
 * @param signals   escalation signals
 * @param alerting  window, thresholds and hysteresis
 * @param background when present, markers of a background clause ("amid", "despite", "en medio
 *                  de"): a signal term standing at most {@code within} words after one of them does
 *                  not count, as it tells the setting of another story, not the story
 */
public record RuleSet(String version, String checksum, List<Language> languages, List<TopicRule> topics, List<SignalRule> signals,
        AlertingPolicy alerting, Optional<Rule.Exclusion> background) {

    public RuleSet {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(alerting, "alerting");
        Objects.requireNonNull(background, "background");
        languages = List.copyOf(languages);
        topics = List.copyOf(topics);
        signals = List.copyOf(signals);
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("languages: expected at least one");
        }
    }

    /** The same rules stamped as release {@code release} of {@code vigil.rules}. */
    public RuleSet asRelease(int release) {
        return new RuleSet(label(release, checksum), checksum, languages, topics, signals, alerting, background);
    }

    /** The same rules with another alerting policy (the demo's, on its scenario clock). */
    public RuleSet withAlerting(AlertingPolicy alerting) {
        return new RuleSet(version, checksum, languages, topics, signals, alerting, background);
    }

    /** The stamp of a release: {@code v3 sha256:35c23bc089ce}; release 0 is a file never applied. */
    public static String label(int release, String checksum) {
        String shortSum = checksum.length() > 19 ? checksum.substring(0, 19) : checksum;
        return release > 0 ? "v" + release + " " + shortSum : shortSum;
    }

    /** Topics, then signals, in file order. */
    public List<Rule> rules() {
        List<Rule> all = new ArrayList<>(topics);
        all.addAll(signals);
        return all;
    }
}
