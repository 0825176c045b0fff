package dev.vigil.streams.rules;

import dev.vigil.model.Level;
import dev.vigil.model.RuleId;
import dev.vigil.model.TopicName;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblem;
import dev.vigil.model.config.ConfigProblems;
import dev.vigil.model.config.InvalidConfigException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a rules file and validates it as a whole: every problem is reported with file, line,
 * column and key in one {@link InvalidConfigException}, and nothing of an invalid file is ever
 * used. The language itself is described in {@code docs/rules.md}.
 *
 * <pre>{@code
 * RuleSet rules = RulesLoader.load(Path.of("rules.yaml"));   // or throws InvalidConfigException
 * }</pre>
 */
public final class RulesLoader {

    /** The rules of the bundled demo scenario, on the classpath. */
    public static final String DEFAULT_RESOURCE = "/rules/default.yaml";
    /** How messages name the bundled rules. */
    public static final String DEFAULT_NAME = "default rules";

    static final double MAX_WEIGHT = 100;
    static final int MAX_WITHIN = 50;
    /** The highest minimum a topic may ask its articles' signals to add up to. */
    static final double MAX_MIN_WEIGHT = 1000;
    /** Key of a term list that applies to every language of the rule set. */
    static final String ALL_LANGUAGES = "all";

    private static final Set<String> TOP = Set.of("languages", "fields", "minWeight", "background", "topics", "signals", "alerting");
    private static final Set<String> TOPIC = Set.of("any", "near", "not", "fields", "context", "minWeight");
    private static final Set<String> SIGNAL = Set.of("weight", "any", "near", "not", "fields");

    private RulesLoader() {
    }

    public static RuleSet load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "", "cannot read the rules file: " + e.getMessage())));
        }
    }

    /** The shipped default rule pack. */
    public static RuleSet loadDefault() {
        return parse(DEFAULT_NAME, defaultText());
    }

    /** The text of the shipped default rule pack. */
    public static String defaultText() {
        try (InputStream in = RulesLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default rules " + DEFAULT_RESOURCE + " are missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses rules text; {@code name} is how messages refer to it (usually the file name). */
    public static RuleSet parse(String name, String text) {
        ConfigProblems problems = new ConfigProblems();
        ConfigNode root = ConfigNode.parse(name, text);
        Map<String, ConfigNode> top = root.map(problems, TOP).orElse(Map.of());

        List<Language> languages = top.containsKey("languages") ? languages(top.get("languages"), problems) : List.of(Language.values());
        FieldWeights fields = top.containsKey("fields") ? fields(top.get("fields"), FieldWeights.DEFAULT, problems) : FieldWeights.DEFAULT;
        double minWeight = top.containsKey("minWeight") ? minWeight(top.get("minWeight"), 0, problems) : 0;
        Context context = new Context(problems, languages, fields, minWeight, new HashSet<>());

        List<TopicRule> topics = List.of();
        if (top.containsKey("topics")) {
            topics = topics(top.get("topics"), context);
        } else {
            problems.add(root, "missing key 'topics': a rules file watches at least one topic");
        }
        List<SignalRule> signals = List.of();
        if (top.containsKey("signals")) {
            signals = signals(top.get("signals"), context);
        } else {
            problems.add(root, "missing key 'signals': without signals no article can escalate a topic");
        }
        AlertingPolicy alerting = top.containsKey("alerting") ? alerting(top.get("alerting"), problems) : AlertingPolicy.DEFAULT;
        Optional<Rule.Exclusion> background = top.containsKey("background") ? background(top.get("background"), context) : Optional.empty();
        problems.throwIfAny();
        String checksum = checksum(text);
        return new RuleSet(RuleSet.label(0, checksum), checksum, languages, topics, signals, alerting, background);
    }

    /** What every part of the file is read against. */
    private record Context(ConfigProblems problems, List<Language> languages, FieldWeights fields, double minWeight, Set<String> ids) {
    }

    private static List<Language> languages(ConfigNode node, ConfigProblems problems) {
        Set<Language> out = new LinkedHashSet<>();
        List<ConfigNode> items = node.list(problems).orElse(List.of());
        if (items.isEmpty() && !node.isNull()) {
            problems.add(node, "expected at least one language, e.g. [en, es]");
        }
        for (ConfigNode item : items) {
            item.string(problems).ifPresent(code -> {
                Optional<Language> language = Language.ofCode(code);
                if (language.isEmpty()) {
                    problems.add(item, "unknown language '" + code + "'; Vigil can read " + supported());
                } else if (!out.add(language.get())) {
                    problems.add(item, "language '" + code + "' is listed twice");
                }
            });
        }
        return out.isEmpty() ? List.of(Language.values()) : List.copyOf(out);
    }

    private static FieldWeights fields(ConfigNode node, FieldWeights defaults, ConfigProblems problems) {
        Map<String, ConfigNode> body = node.map(problems, Set.of("title", "body")).orElse(Map.of());
        double title = defaults.title();
        double text = defaults.body();
        boolean ok = true;
        for (Map.Entry<String, ConfigNode> e : body.entrySet()) {
            Optional<Double> w = e.getValue().number(problems);
            if (w.isEmpty()) {
                ok = false;
                continue;
            }
            if (!(w.get() >= 0 && w.get() <= FieldWeights.MAX)) {
                problems.add(e.getValue(), "expected a field weight from 0 (do not search this field) to " + (int) FieldWeights.MAX + ", found " + w.get());
                ok = false;
            } else if (e.getKey().equals("title")) {
                title = w.get();
            } else {
                text = w.get();
            }
        }
        if (ok && title + text == 0) {
            problems.add(node, "title and body are both weighed 0: the rule could never match");
            ok = false;
        }
        return ok ? new FieldWeights(title, text) : defaults;
    }

    private static List<TopicRule> topics(ConfigNode node, Context c) {
        List<TopicRule> out = new ArrayList<>();
        Map<String, ConfigNode> entries = node.map(c.problems(), Set.of()).orElse(Map.of());
        if (entries.isEmpty() && !node.isNull()) {
            c.problems().add(node, "expected at least one topic");
        }
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            Optional<TopicName> name = id(e.getKey(), e.getValue(), c, TopicName::new);
            Map<String, ConfigNode> body = e.getValue().map(c.problems(), TOPIC).orElse(Map.of());
            int before = c.problems().list().size();
            Optional<TopicRule.Situation> situation = body.containsKey("context") ? situation(body.get("context"), c) : Optional.empty();
            double minWeight = body.containsKey("minWeight") ? minWeight(body.get("minWeight"), c.minWeight(), c.problems()) : c.minWeight();
            boolean valid = c.problems().list().size() == before;
            Parts parts = parts(body, e.getValue(), c);
            if (name.isPresent() && parts.valid() && valid) {
                out.add(new TopicRule(name.get(), parts.any(), parts.near(), parts.not(), parts.fields(), situation, minWeight));
            }
        }
        return out;
    }

    private static List<SignalRule> signals(ConfigNode node, Context c) {
        List<SignalRule> out = new ArrayList<>();
        Map<String, ConfigNode> entries = node.map(c.problems(), Set.of()).orElse(Map.of());
        if (entries.isEmpty() && !node.isNull()) {
            c.problems().add(node, "expected at least one signal");
        }
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            Optional<RuleId> id = id(e.getKey(), e.getValue(), c, RuleId::new);
            Map<String, ConfigNode> body = e.getValue().map(c.problems(), SIGNAL).orElse(Map.of());
            Optional<Double> weight = Optional.empty();
            if (!body.containsKey("weight")) {
                c.problems().add(e.getValue(), "missing key 'weight': how much one article with this signal adds to a score");
            } else {
                weight = body.get("weight").number(c.problems());
                if (weight.isPresent() && !(weight.get() > 0 && weight.get() <= MAX_WEIGHT)) {
                    c.problems().add(body.get("weight"), "expected a weight above 0 and at most " + (int) MAX_WEIGHT + ", found " + weight.get());
                    weight = Optional.empty();
                }
            }
            Parts parts = parts(body, e.getValue(), c);
            if (id.isPresent() && weight.isPresent() && parts.valid()) {
                out.add(new SignalRule(id.get(), weight.get(), parts.any(), parts.near(), parts.not(), parts.fields()));
            }
        }
        return out;
    }

    /** The parts topics and signals share; {@code valid} is false when any of them was reported. */
    private record Parts(List<Term> any, Optional<Rule.Proximity> near, Optional<Rule.Exclusion> not, FieldWeights fields, boolean valid) {
    }

    private static Parts parts(Map<String, ConfigNode> body, ConfigNode rule, Context c) {
        int before = c.problems().list().size();
        List<Term> any = terms(body.get("any"), rule, "any", c);
        Optional<Rule.Proximity> near = body.containsKey("near") ? proximity(body.get("near"), c) : Optional.empty();
        Optional<Rule.Exclusion> not = body.containsKey("not") ? exclusion(body.get("not"), rule, c) : Optional.empty();
        FieldWeights fields = body.containsKey("fields") ? fields(body.get("fields"), c.fields(), c.problems()) : c.fields();
        boolean valid = c.problems().list().size() == before && !any.isEmpty();
        return new Parts(any, near, not, fields, valid);
    }

    private static double minWeight(ConfigNode node, double fallback, ConfigProblems problems) {
        Optional<Double> w = node.number(problems);
        if (w.isPresent() && !(w.get() >= 0 && w.get() <= MAX_MIN_WEIGHT)) {
            problems.add(node, "expected a minimum weight from 0 (any signal will do) to " + (int) MAX_MIN_WEIGHT + ", found " + w.get());
            return fallback;
        }
        return w.orElse(fallback);
    }

    /**
     * {@code context: {need: N, any: [...]}}: the situation's terms; an item of the list may itself be
     * a list of synonyms, which counts as one entry.
     */
    private static Optional<TopicRule.Situation> situation(ConfigNode node, Context c) {
        Map<String, ConfigNode> body = node.map(c.problems(), Set.of("any", "need")).orElse(null);
        if (body == null) {
            return Optional.empty();
        }
        List<Term> any = new ArrayList<>();
        List<Integer> entries = new ArrayList<>();
        ConfigNode list = body.get("any");
        if (list == null) {
            c.problems().add(node, "missing key 'any': the situation's terms; a list inside the list is a group of synonyms that counts once");
            return Optional.empty();
        }
        if (list.isMap()) {
            Map<String, ConfigNode> byLanguage = list.map(c.problems(), Set.of()).orElse(Map.of());
            if (byLanguage.isEmpty()) {
                c.problems().add(list, "expected terms for at least one language, e.g. {en: [strike], es: [ataque]}");
            }
            for (Map.Entry<String, ConfigNode> e : byLanguage.entrySet()) {
                language(e.getKey(), e.getValue(), c).ifPresent(language -> entryList(e.getValue(), language, any, entries, c));
            }
        } else {
            entryList(list, Optional.empty(), any, entries, c);
        }
        int count = entries.isEmpty() ? 0 : entries.get(entries.size() - 1) + 1;
        int need = 2;
        if (body.containsKey("need")) {
            Optional<Integer> n = body.get("need").integer(c.problems());
            if (n.isPresent() && (n.get() < 1 || n.get() > Math.max(1, count))) {
                c.problems().add(body.get("need"), "expected how many different entries must count, from 1 to the " + count + " listed, found " + n.get());
                return Optional.empty();
            }
            need = n.orElse(need);
        } else if (count > 0 && count < need) {
            c.problems().add(node, "missing key 'need': with fewer than 2 entries, say how many must count");
            return Optional.empty();
        }
        return any.isEmpty() ? Optional.empty() : Optional.of(new TopicRule.Situation(any, entries, need));
    }

    /** Appends the terms of one context list, numbering its entries after those already there. */
    private static void entryList(ConfigNode node, Optional<Language> language, List<Term> any, List<Integer> entries, Context c) {
        List<ConfigNode> items = node.isNull() ? List.of() : node.list(c.problems()).orElse(List.of());
        if (items.isEmpty()) {
            c.problems().add(node, "expected at least one term, found an empty list");
        }
        int next = entries.isEmpty() ? 0 : entries.get(entries.size() - 1) + 1;
        for (ConfigNode item : items) {
            List<ConfigNode> group = item.isMap() ? null : item.list(new ConfigProblems()).orElse(null);
            List<Term> terms = group != null ? termList(item, language, c) : termList(List.of(item), language, c);
            for (Term t : terms) {
                any.add(t);
                entries.add(next);
            }
            if (!terms.isEmpty()) {
                next++;
            }
        }
    }

    /** {@code background: {any: [amid, despite], within: N}}: markers that make the next N words the setting of another story. */
    private static Optional<Rule.Exclusion> background(ConfigNode node, Context c) {
        return termsWithin(node, c).map(w -> new Rule.Exclusion(w.any(), w.within()));
    }

    private static Optional<Rule.Proximity> proximity(ConfigNode node, Context c) {
        return termsWithin(node, c).map(w -> new Rule.Proximity(w.any(), w.within()));
    }

    /** Terms and a distance of 1 or more words. */
    private record TermsWithin(List<Term> any, int within) {
    }

    /** {@code {any: [...], within: N}} with N from 1. */
    private static Optional<TermsWithin> termsWithin(ConfigNode node, Context c) {
        Map<String, ConfigNode> body = node.map(c.problems(), Set.of("any", "within")).orElse(null);
        if (body == null) {
            return Optional.empty();
        }
        List<Term> any = terms(body.get("any"), node, "any", c);
        Optional<Integer> within = within(body.get("within"), node, 1, c.problems());
        return any.isEmpty() || within.isEmpty() ? Optional.empty() : Optional.of(new TermsWithin(any, within.get()));
    }

    /**
     * {@code not: [phrases]} or {@code not: {en: [...], es: [...]}} (they must share a word with the
     * match), {@code not: {any: [...], within: N}} (they win within N words), or a list of such
     * groups, {@code not: [{any: [...]}, {any: [...], within: N}]}, each term keeping its group's reach.
     */
    private static Optional<Rule.Exclusion> exclusion(ConfigNode node, ConfigNode rule, Context c) {
        List<ConfigNode> groups = node.isMap() || node.isNull() ? List.of() : node.list(new ConfigProblems()).orElse(List.of());
        if (!groups.isEmpty() && groups.stream().anyMatch(ConfigNode::isMap)) {
            List<Term> any = new ArrayList<>();
            List<Integer> reach = new ArrayList<>();
            for (ConfigNode group : groups) {
                if (!group.isMap()) {
                    c.problems().add(group, "a list of exclusion groups holds only groups, {any: [...]} or {any: [...], within: N}; put the term in a group");
                    continue;
                }
                exclusionGroup(group, rule, true, c).ifPresent(g -> {
                    any.addAll(g.any());
                    reach.addAll(g.reach());
                });
            }
            return any.isEmpty() ? Optional.empty() : Optional.of(new Rule.Exclusion(any, reach));
        }
        return exclusionGroup(node, rule, false, c);
    }

    /**
     * One group of exclusions: phrases over the match, or {@code {any: [...], within: N}};
     * {@code {any: [...]}} alone is over the match. In a list of groups only the last form is read.
     */
    private static Optional<Rule.Exclusion> exclusionGroup(ConfigNode node, ConfigNode rule, boolean inList, Context c) {
        Set<String> keys = node.isMap() ? node.map(new ConfigProblems(), Set.of()).orElse(Map.of()).keySet() : Set.of();
        if (!inList && !keys.contains("any") && !keys.contains("within")) {
            List<Term> any = terms(node, rule, "not", c);
            return any.isEmpty() ? Optional.empty() : Optional.of(new Rule.Exclusion(any, Rule.Exclusion.OVERLAP));
        }
        Map<String, ConfigNode> body = node.map(c.problems(), Set.of("any", "within")).orElse(Map.of());
        List<Term> any = terms(body.get("any"), node, "any", c);
        Optional<Integer> within = body.containsKey("within") ? within(body.get("within"), node, 0, c.problems()) : Optional.of(Rule.Exclusion.OVERLAP);
        return any.isEmpty() || within.isEmpty() ? Optional.empty() : Optional.of(new Rule.Exclusion(any, within.get()));
    }

    private static Optional<Integer> within(ConfigNode node, ConfigNode parent, int min, ConfigProblems problems) {
        if (node == null) {
            problems.add(parent, "missing key 'within': how many words may stand between the terms");
            return Optional.empty();
        }
        Optional<Integer> within = node.integer(problems);
        if (within.isPresent() && (within.get() < min || within.get() > MAX_WITHIN)) {
            problems.add(node, "expected a number of words from " + min + " to " + MAX_WITHIN + ", found " + within.get());
            return Optional.empty();
        }
        return within;
    }

    /**
     * A term list: a list of terms for every language of the rule set, or a map from language
     * code (or {@code all}) to such a list.
     */
    private static List<Term> terms(ConfigNode node, ConfigNode parent, String key, Context c) {
        if (node == null) {
            c.problems().add(parent, "missing key '" + key + "': a list of terms");
            return List.of();
        }
        if (node.isMap()) {
            Map<String, ConfigNode> byLanguage = node.map(c.problems(), Set.of()).orElse(Map.of());
            if (byLanguage.isEmpty()) {
                c.problems().add(node, "expected terms for at least one language, e.g. {en: [strike], es: [ataque]}");
            }
            List<Term> out = new ArrayList<>();
            for (Map.Entry<String, ConfigNode> e : byLanguage.entrySet()) {
                language(e.getKey(), e.getValue(), c).ifPresent(language -> out.addAll(termList(e.getValue(), language, c)));
            }
            return out;
        }
        return termList(node, Optional.empty(), c);
    }

    /**
     * The language of a term list keyed {@code key}: empty inside for {@code all}; empty outside (and
     * reported) when the key is not one of the file's languages.
     */
    private static Optional<Optional<Language>> language(String key, ConfigNode at, Context c) {
        if (key.equals(ALL_LANGUAGES)) {
            return Optional.of(Optional.empty());
        }
        Optional<Language> language = Language.ofCode(key);
        if (language.isEmpty() || !c.languages().contains(language.get())) {
            c.problems().add(at, language.isEmpty()
                    ? "unknown language '" + key + "'; expected " + ALL_LANGUAGES + " or one of " + supported()
                    : "language '" + key + "' is not in this file's languages " + codes(c.languages()));
            return Optional.empty();
        }
        return Optional.of(language);
    }

    private static List<Term> termList(ConfigNode node, Optional<Language> language, Context c) {
        List<ConfigNode> items = node.isNull() ? List.of() : node.list(c.problems()).orElse(null);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            c.problems().add(node, "expected at least one term, found an empty list");
        }
        return termList(items, language, c);
    }

    private static List<Term> termList(List<ConfigNode> items, Optional<Language> language, Context c) {
        List<Term> out = new ArrayList<>();
        for (ConfigNode item : items) {
            item.string(c.problems()).ifPresent(text -> {
                try {
                    out.add(Term.parse(text, language));
                } catch (IllegalArgumentException e) {
                    c.problems().add(item, "term '" + text + "': " + e.getMessage());
                }
            });
        }
        return out;
    }

    private static AlertingPolicy alerting(ConfigNode node, ConfigProblems problems) {
        Map<String, ConfigNode> body = node.map(problems, Set.of("window", "levels", "hysteresis", "minDuration")).orElse(Map.of());
        AlertingPolicy d = AlertingPolicy.DEFAULT;
        Duration minDuration = body.containsKey("minDuration") ? body.get("minDuration").duration(problems).orElse(d.minDuration()) : d.minDuration();
        Duration window = body.containsKey("window") ? body.get("window").duration(problems).orElse(d.window()) : d.window();
        double hysteresis = body.containsKey("hysteresis") ? body.get("hysteresis").number(problems).orElse(d.hysteresis()) : d.hysteresis();
        Map<Level, Double> thresholds = new EnumMap<>(d.thresholds());
        if (body.containsKey("levels")) {
            ConfigNode levels = body.get("levels");
            levels.map(problems, Set.of("elevated", "high", "critical")).orElse(Map.of())
                    .forEach((k, v) -> v.number(problems).ifPresent(t -> thresholds.put(Level.fromWireName(k), t)));
            try {
                new AlertingPolicy(window.isZero() || window.isNegative() ? d.window() : window, thresholds, d.hysteresis());
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
        if (minDuration.compareTo(window) >= 0) {
            problems.add(body.get("minDuration"), "expected a minimum duration shorter than the window (" + window + "), found " + minDuration);
            return d;
        }
        return new AlertingPolicy(window, thresholds, hysteresis, minDuration);
    }

    private static <T> Optional<T> id(String key, ConfigNode at, Context c, Function<String, T> make) {
        if (!c.ids().add(key)) {
            c.problems().add(at, "id '" + key + "' is used twice; topic and signal ids must be unique");
            return Optional.empty();
        }
        try {
            return Optional.of(make.apply(key));
        } catch (IllegalArgumentException e) {
            c.problems().add(at, e.getMessage());
            return Optional.empty();
        }
    }

    private static String supported() {
        return codes(List.of(Language.values()));
    }

    private static String codes(List<Language> languages) {
        return languages.stream().map(Language::code).collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@code sha256:} and the 64 hex digits of the SHA-256 of the text's UTF-8 bytes. */
    public static String checksum(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
