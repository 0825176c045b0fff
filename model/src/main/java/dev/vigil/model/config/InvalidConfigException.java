package dev.vigil.model.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file was rejected as a whole; {@link #problems()} lists every reason found. */
public final class InvalidConfigException extends RuntimeException {

    private final transient List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        String noun = problems.size() == 1 ? "problem" : "problems";
        return problems.size() + " " + noun + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
