package dev.vigil.bench;

import dev.vigil.streams.rules.RuleSet;
import java.util.Set;

/** A way to find which rules an article matches. */
public interface Engine extends AutoCloseable {

    /** Does all the work tagging needs and returns something that depends on it (for JMH's black hole). */
    Object tag(BenchArticle article);

    /** The ids of the rules (topics and signals) that match. */
    Set<String> matchedRules(BenchArticle article);

    @Override
    default void close() {
    }

    /** The engines the benchmarks compare, by name. */
    static Engine of(String name, RuleSet rules) {
        return switch (name) {
            case "vigil" -> new VigilEngine(rules);
            case "monitor" -> new MonitorEngine(rules);
            case "regex" -> new RegexEngine(rules);
            case "tokenizer" -> new TokenizerEngine();
            default -> throw new IllegalArgumentException("engine: expected vigil, monitor, regex or tokenizer, found " + name);
        };
    }
}
