package dev.vigil.streams.rules;

import dev.vigil.model.Level;
import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a rules file and validates it as a whole: every problem is reported with file, line,
 * column and key in one {@link dev.vigil.model.config.InvalidConfigException}, and nothing of an
 * invalid file is ever used.
 *
 * <pre>{@code
 * RuleSet rules = RulesLoader.load(Path.of("rules.yaml"));   // or throws InvalidConfigException
 * }</pre>
 */
public final class RulesLoader {

    /** The rules of the bundled demo scenario, on the classpath. */
    public static final String DEFAULT_RESOURCE = "/rules/default.yaml";

    private static final double MAX_WEIGHT = 100;
    private static final int MAX_WITHIN = 50;

    private RulesLoader() {
    }

    public static RuleSet load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The shipped default rule pack. */
    public static RuleSet loadDefault() {
        try (InputStream in = RulesLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default rules " + DEFAULT_RESOURCE + " are missing from the classpath");
            }
            return parse("default rules", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses rules text; {@code name} is how messages refer to it. */
    public static RuleSet parse(String name, String text) {
        ConfigProblems problems = new ConfigProblems();
        ConfigNode root = ConfigNode.parse(name, text);
        Map<String, ConfigNode> top = root.map(problems, Set.of("topics", "signals", "alerting")).orElse(Map.of());

        Set<String> ids = new HashSet<>();
        List<TopicRule> topics = top.containsKey("topics") ? topics(top.get("topics"), problems, ids) : List.of();
        if (!top.containsKey("topics")) {
            problems.add(root, "missing key 'topics': a rules file watches at least one topic");
        }
        List<SignalRule> signals = top.containsKey("signals") ? signals(top.get("signals"), problems, ids) : List.of();
        if (!top.containsKey("signals")) {
            problems.add(root, "missing key 'signals': without signals no article can escalate a topic");
        }
        AlertingPolicy alerting = top.containsKey("alerting") ? alerting(top.get("alerting"), problems) : AlertingPolicy.DEFAULT;
        problems.throwIfAny();
        return new RuleSet(checksum(text), topics, signals, alerting);
    }

    private static List<TopicRule> topics(ConfigNode node, ConfigProblems problems, Set<String> ids) {
        List<TopicRule> out = new ArrayList<>();
        Map<String, ConfigNode> entries = node.map(problems, Set.of()).orElse(Map.of());
        if (entries.isEmpty() && !node.isNull()) {
            problems.add(node, "expected at least one topic");
        }
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            Optional<TopicName> name = id(e.getKey(), e.getValue(), problems, ids, TopicName::new);
            Map<String, ConfigNode> body = e.getValue().map(problems, Set.of("any")).orElse(Map.of());
            List<Term> any = terms(body.get("any"), e.getValue(), "any", problems);
            if (name.isPresent() && !any.isEmpty()) {
                out.add(new TopicRule(name.get(), any));
            }
        }
        return out;
    }

    private static List<SignalRule> signals(ConfigNode node, ConfigProblems problems, Set<String> ids) {
        List<SignalRule> out = new ArrayList<>();
        Map<String, ConfigNode> entries = node.map(problems, Set.of()).orElse(Map.of());
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            Optional<RuleId> id = id(e.getKey(), e.getValue(), problems, ids, RuleId::new);
            Map<String, ConfigNode> body = e.getValue().map(problems, Set.of("weight", "any", "near", "not")).orElse(Map.of());
            Optional<Double> weight = Optional.empty();
            if (!body.containsKey("weight")) {
                problems.add(e.getValue(), "missing key 'weight': how much one article with this signal adds to a score");
            } else {
                weight = body.get("weight").number(problems);
                if (weight.isPresent() && !(weight.get() > 0 && weight.get() <= MAX_WEIGHT)) {
                    problems.add(body.get("weight"), "expected a weight above 0 and at most " + (int) MAX_WEIGHT + ", found " + weight.get());
                    weight = Optional.empty();
                }
            }
            List<Term> any = terms(body.get("any"), e.getValue(), "any", problems);
            Optional<SignalRule.Proximity> near = body.containsKey("near") ? proximity(body.get("near"), problems) : Optional.empty();
            boolean nearBroken = body.containsKey("near") && near.isEmpty();
            List<Term> not = body.containsKey("not") ? terms(body.get("not"), e.getValue(), "not", problems) : List.of();
            if (id.isPresent() && weight.isPresent() && !any.isEmpty() && !nearBroken) {
                out.add(new SignalRule(id.get(), weight.get(), any, near, not));
            }
        }
        return out;
    }

    private static Optional<SignalRule.Proximity> proximity(ConfigNode node, ConfigProblems problems) {
        Map<String, ConfigNode> body = node.map(problems, Set.of("any", "within")).orElse(null);
        if (body == null) {
            return Optional.empty();
        }
        List<Term> any = terms(body.get("any"), node, "any", problems);
        Optional<Integer> within = Optional.empty();
        if (!body.containsKey("within")) {
            problems.add(node, "missing key 'within': how many words apart the terms may stand");
        } else {
            within = body.get("within").integer(problems);
            if (within.isPresent() && (within.get() < 1 || within.get() > MAX_WITHIN)) {
                problems.add(body.get("within"), "expected a number of words from 1 to " + MAX_WITHIN + ", found " + within.get());
                within = Optional.empty();
            }
        }
        if (any.isEmpty() || within.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SignalRule.Proximity(any, within.get()));
    }

    private static AlertingPolicy alerting(ConfigNode node, ConfigProblems problems) {
        Map<String, ConfigNode> body = node.map(problems, Set.of("window", "levels", "hysteresis")).orElse(Map.of());
        AlertingPolicy d = AlertingPolicy.DEFAULT;
        Duration window = body.containsKey("window") ? body.get("window").duration(problems).orElse(d.window()) : d.window();
        double hysteresis = body.containsKey("hysteresis") ? body.get("hysteresis").number(problems).orElse(d.hysteresis()) : d.hysteresis();
        Map<Level, Double> thresholds = new EnumMap<>(d.thresholds());
        if (body.containsKey("levels")) {
            ConfigNode levels = body.get("levels");
            levels.map(problems, Set.of("elevated", "high", "critical")).orElse(Map.of())
                    .forEach((k, v) -> v.number(problems).ifPresent(t -> thresholds.put(Level.fromWireName(k), t)));
            try {
                new AlertingPolicy(window, thresholds, d.hysteresis());
            } catch (IllegalArgumentException e) {
                problems.add(levels, "expected thresholds that increase from elevated to high to critical, all above 0; found elevated "
                        + thresholds.get(Level.ELEVATED) + ", high " + thresholds.get(Level.HIGH) + ", critical " + thresholds.get(Level.CRITICAL));
                return d;
            }
        }
        if (window.isZero() || window.isNegative()) {
            problems.add(body.get("window"), "expected a positive duration");
            return d;
        }
        if (!(hysteresis > 0 && hysteresis <= 1)) {
            problems.add(body.get("hysteresis"), "expected a fraction above 0 and at most 1 (0.8 leaves a level at 80% of its threshold), found " + hysteresis);
            return d;
        }
        return new AlertingPolicy(window, thresholds, hysteresis);
    }

    private static List<Term> terms(ConfigNode node, ConfigNode parent, String key, ConfigProblems problems) {
        if (node == null) {
            problems.add(parent, "missing key '" + key + "': a list of terms");
            return List.of();
        }
        List<Term> out = new ArrayList<>();
        List<ConfigNode> items = node.isNull() ? List.of() : node.list(problems).orElse(null);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            problems.add(node, "expected at least one term, found an empty list");
        }
        for (ConfigNode item : items) {
            item.string(problems).ifPresent(text -> {
                try {
                    out.add(Term.parse(text));
                } catch (IllegalArgumentException e) {
                    problems.add(item, "term '" + text + "': " + e.getMessage());
                }
            });
        }
        return out;
    }

    private static <T> Optional<T> id(String key, ConfigNode at, ConfigProblems problems, Set<String> seen, java.util.function.Function<String, T> make) {
        if (!seen.add(key)) {
            problems.add(at, "id '" + key + "' is used twice; topic and signal ids must be unique");
            return Optional.empty();
        }
        try {
            return Optional.of(make.apply(key));
        } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
            return Optional.empty();
        }
    }

    private static String checksum(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
