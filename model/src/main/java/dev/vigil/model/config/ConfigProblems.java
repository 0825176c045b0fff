package dev.vigil.model.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem in a file so an operator sees all of them at once, not one per attempt.
 */
public final class ConfigProblems {

    private final List<ConfigProblem> problems = new ArrayList<>();

    /** Records a problem at a node. */
    public void add(ConfigNode node, String message) {
        problems.add(new ConfigProblem(node.file(), node.line(), node.column(), node.path(), message));
    }

    public void add(ConfigProblem problem) {
        problems.add(problem);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    /** Throws {@link InvalidConfigException} listing everything recorded, if anything was. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }
}
