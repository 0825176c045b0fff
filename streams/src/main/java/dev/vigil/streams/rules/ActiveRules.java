package dev.vigil.streams.rules;

import dev.vigil.model.RulesRelease;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rule set in force, compiled, swapped as a whole: a reader gets either the old matcher or the
 * new one, never half of each. Thread-safe; one instance per topology.
 */
public final class ActiveRules {

    private final AtomicReference<Matcher> current;
    private volatile int release;

    /** Starts with {@code initial} (the file or bundled pack the service was started with) until a release arrives. */
    public ActiveRules(RuleSet initial) {
        this.current = new AtomicReference<>(new Matcher(Objects.requireNonNull(initial, "initial")));
    }

    /** The matcher of the rules in force. */
    public Matcher matcher() {
        return current.get();
    }

    /** The release number in force; 0 while the start-up rules are. */
    public int release() {
        return release;
    }

    /**
     * Validates, compiles and switches to a release. When it is not valid the rules in force stay
     * and the result says why, with the file, line and column of every problem.
     */
    public synchronized Reload apply(RulesRelease candidate) {
        Objects.requireNonNull(candidate, "candidate");
        Matcher running = current.get();
        if (candidate.checksum().equals(running.rules().checksum()) && candidate.version() == release) {
            return new Reload.Unchanged(running.rules());
        }
        RuleSet rules;
        try {
            rules = validate(candidate);
        } catch (InvalidConfigException e) {
            return new Reload.Rejected(e.problems());
        }
        long started = System.nanoTime();
        Matcher compiled = new Matcher(rules);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        current.set(compiled);
        release = candidate.version();
        return new Reload.Applied(rules, took);
    }

    /** The rule set of a release, or {@link InvalidConfigException} naming every problem in it. */
    public static RuleSet validate(RulesRelease release) {
        String checksum = RulesLoader.checksum(release.text());
        if (!checksum.equals(release.checksum())) {
            throw new InvalidConfigException(List.of(new ConfigProblem(release.file(), 0, 0, "",
                    "release v" + release.version() + " says its checksum is " + release.checksum() + " but its text's is " + checksum
                            + "; it was changed after it was validated")));
        }
        return RulesLoader.parse(release.file(), release.text()).asRelease(release.version());
    }

    /** What became of a release. */
    public sealed interface Reload {
        /** Now in force. */
        record Applied(RuleSet rules, Duration compileTime) implements Reload {
        }

        /** Already in force (a replay of the topic at start-up, or the same release twice). */
        record Unchanged(RuleSet rules) implements Reload {
        }

        /** Not valid; the rules in force stay. */
        record Rejected(List<ConfigProblem> problems) implements Reload {
            public Rejected {
                problems = List.copyOf(problems);
            }
        }
    }
}
