package dev.vigil.model.config;

import dev.vigil.model.HttpUrl;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One value of a YAML configuration file that remembers where it stands (file, line, column,
 * key path), so every error can say exactly what to fix. Typed accessors record a
 * {@link ConfigProblem} and return empty instead of throwing, so a whole file is checked in
 * one pass.
 *
 * <pre>{@code
 * ConfigProblems problems = new ConfigProblems();
 * ConfigNode root = ConfigNode.load(Path.of("rules.yaml"));
 * Map<String, ConfigNode> top = root.map(problems, Set.of("topics", "signals")).orElse(Map.of());
 * problems.throwIfAny();
 * }</pre>
 */
public final class ConfigNode {

    /** How many aliases ({@code *name}) of lists and maps one file may hold. */
    static final int MAX_ALIASES = 20;

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String file;
    private final String path;
    private final Node node;

    private ConfigNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** Reads and parses a file; a syntax error becomes an {@link InvalidConfigException} with its position. */
    public static ConfigNode load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "", "cannot read: " + e)));
        }
        return parse(file.toString(), text);
    }

    /** Parses text named {@code file} in messages. An empty document is an empty map. */
    public static ConfigNode parse(String file, String text) {
        // a file whose aliases name aliases can expand without bound ("billion laughs")
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(30);
        options.setCodePointLimit(8 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            int column = mark == null ? 0 : mark.getColumn() + 1;
            throw new InvalidConfigException(List.of(new ConfigProblem(file, line, column, "", "not valid YAML: " + inPlainWords(e, text))));
        } catch (YAMLException e) {
            String why = String.valueOf(e.getMessage()).startsWith("Number of aliases")
                    ? "more than " + MAX_ALIASES + " aliases (*name) of lists or maps; write the list out in some of the places that name it"
                    : e.getMessage();
            throw new InvalidConfigException(List.of(new ConfigProblem(file, 0, 0, "", "not valid YAML: " + why)));
        }
        if (root == null) {
            root = new MappingNode(Tag.MAP, List.of(), null);
        }
        return new ConfigNode(file, "", root);
    }

    /**
     * SnakeYAML's parser vocabulary ("expected <block end>, but found '<block mapping start>'")
     * turned into what the operator has to fix. Anything not recognised keeps SnakeYAML's words.
     */
    static String inPlainWords(MarkedYAMLException e, String text) {
        String problem = Objects.requireNonNullElse(e.getProblem(), e.getMessage());
        String context = Objects.requireNonNullElse(e.getContext(), "");
        Mark start = e.getContextMark();
        String opened = start == null ? "" : " opened at line " + (start.getLine() + 1) + ", column " + (start.getColumn() + 1);
        if (problem.startsWith("expected <block end>") && context.contains("block mapping") && start != null) {
            if (problem.endsWith("'<scalar>'") && !startsItsLine(e.getProblemMark(), text)) {
                return "unexpected text after a value on this line; quote the whole value or put the next key on its own line";
            }
            return "bad indentation: this line lines up with no key of the map that starts at line " + (start.getLine() + 1)
                    + " (its keys are at column " + (start.getColumn() + 1) + "); indent it exactly like the key it belongs beside";
        }
        if (problem.startsWith("expected <block end>") && context.contains("block collection") && start != null) {
            return "bad indentation: this line lines up with the list that starts at line " + (start.getLine() + 1)
                    + " but is not a '- ' item of it; indent it like the key it belongs beside";
        }
        if (problem.startsWith("mapping values are not allowed")) {
            return "unexpected ':' — if it is part of the value, quote the value; if it starts a key, fix this line's indentation";
        }
        if (problem.contains("(TAB)")) {
            return "a tab character; YAML is indented with spaces only";
        }
        if (context.contains("quoted scalar")) {
            return "the quoted text" + opened + " is never closed";
        }
        if (context.contains("flow sequence")) {
            return "the list" + opened + " with '[' needs a ',' between items and a closing ']'";
        }
        if (context.contains("flow mapping")) {
            return "the map" + opened + " with '{' needs a ',' between entries and a closing '}'";
        }
        if (problem.startsWith("found undefined alias")) {
            return "'*" + problem.substring("found undefined alias".length()).strip() + "' refers to no anchor ('&name') defined above it";
        }
        return problem + (context.isEmpty() ? "" : " (" + context + ")");
    }

    /** True when nothing but spaces stands before {@code mark} on its line. */
    private static boolean startsItsLine(Mark mark, String text) {
        if (mark == null) {
            return false;
        }
        List<String> lines = text.lines().toList();
        if (mark.getLine() >= lines.size()) {
            return false;
        }
        String line = lines.get(mark.getLine());
        return line.length() - line.stripLeading().length() >= mark.getColumn();
    }

    public String file() {
        return file;
    }

    /** Dotted key path from the root, e.g. {@code feeds[2].url}; empty for the root. */
    public String path() {
        return path;
    }

    public int line() {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    public int column() {
        return node.getStartMark() == null ? 0 : node.getStartMark().getColumn() + 1;
    }

    /** {@code file:line:column}, for messages. */
    public String where() {
        return file + ":" + line() + ":" + column();
    }

    /** True when this node is a map (a choice between two shapes of a value, without reporting a problem). */
    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isNull() {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    /**
     * This node as a map, keys in file order. Keys outside {@code allowed} are each reported as
     * unknown, naming the allowed ones. An empty {@code allowed} set accepts any key (for maps
     * whose keys are names the operator chooses, such as topic ids).
     */
    public Optional<Map<String, ConfigNode>> map(ConfigProblems problems, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            problems.add(this, "expected a map of keys, found " + describe());
            return Optional.empty();
        }
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                problems.add(new ConfigNode(file, path, keyNode), "expected a plain key, found " + new ConfigNode(file, path, keyNode).describe());
                continue;
            }
            String key = scalarKey.getValue();
            ConfigNode keyAt = new ConfigNode(file, join(key), keyNode);
            if (!allowed.isEmpty() && !allowed.contains(key)) {
                problems.add(keyAt, "unknown key; expected one of " + String.join(", ", new TreeSet<>(allowed)));
                continue;
            }
            if (out.containsKey(key)) {
                problems.add(keyAt, "duplicate key");
                continue;
            }
            out.put(key, new ConfigNode(file, join(key), tuple.getValueNode()));
        }
        return Optional.of(out);
    }

    /** This node as a list; a single scalar is not promoted (see {@link #stringList}). */
    public Optional<List<ConfigNode>> list(ConfigProblems problems) {
        if (!(node instanceof SequenceNode sequence)) {
            problems.add(this, "expected a list, found " + describe());
            return Optional.empty();
        }
        List<ConfigNode> out = new ArrayList<>();
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            out.add(new ConfigNode(file, path + "[" + i + "]", items.get(i)));
        }
        return Optional.of(out);
    }

    /** A non-empty string scalar. */
    public Optional<String> string(ConfigProblems problems) {
        if (!(node instanceof ScalarNode scalar) || isNull()) {
            problems.add(this, "expected a text value, found " + describe());
            return Optional.empty();
        }
        String value = scalar.getValue().strip();
        if (value.isEmpty()) {
            problems.add(this, "expected a text value, found an empty one");
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A list of non-empty strings; one string alone counts as a list of one. */
    public List<String> stringList(ConfigProblems problems) {
        if (node instanceof ScalarNode && !isNull()) {
            return string(problems).map(List::of).orElse(List.of());
        }
        List<String> out = new ArrayList<>();
        list(problems).ifPresent(items -> items.forEach(item -> item.string(problems).ifPresent(out::add)));
        return out;
    }

    public Optional<Double> number(ConfigProblems problems) {
        Optional<String> text = scalarText(problems, "a number");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            double value = Double.parseDouble(text.get());
            if (Double.isFinite(value)) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below, with the value found
        }
        problems.add(this, "expected a number, found '" + text.get() + "'");
        return Optional.empty();
    }

    public Optional<Integer> integer(ConfigProblems problems) {
        Optional<String> text = scalarText(problems, "a whole number");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(text.get()));
        } catch (NumberFormatException e) {
            problems.add(this, "expected a whole number, found '" + text.get() + "'");
            return Optional.empty();
        }
    }

    public Optional<Boolean> bool(ConfigProblems problems) {
        Optional<String> text = scalarText(problems, "true or false");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true":
                return Optional.of(true);
            case "false":
                return Optional.of(false);
            default:
                problems.add(this, "expected true or false, found '" + text.get() + "'");
                return Optional.empty();
        }
    }

    /** A duration such as {@code 90s}, {@code 5m}, {@code 24h}, {@code 7d}, {@code 500ms} or ISO-8601 {@code PT1H}. */
    public Optional<Duration> duration(ConfigProblems problems) {
        Optional<String> text = scalarText(problems, "a duration such as 30s, 5m or 24h");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> parsed = parseDuration(text.get());
        if (parsed.isEmpty()) {
            String tooLarge = DURATION.matcher(text.get().toLowerCase(Locale.ROOT)).matches() ? " (too large)" : "";
            problems.add(this, "expected a duration such as 30s, 5m or 24h, found '" + text.get() + "'" + tooLarge);
        }
        return parsed;
    }

    /** An absolute http or https URL. */
    public Optional<URI> httpUrl(ConfigProblems problems) {
        Optional<String> text = string(problems);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HttpUrl.parse(text.get()));
        } catch (IllegalArgumentException e) {
            problems.add(this, "expected an absolute http(s) URL, found '" + text.get() + "'");
            return Optional.empty();
        }
    }

    /**
     * Parses the duration forms {@link #duration} accepts; empty when it is none of them, or when
     * the number is too large for a {@link Duration} (such as {@code 99999999999999999999s} or
     * {@code 9999999999999999d}).
     */
    public static Optional<Duration> parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        return Optional.of(Duration.ofMillis(n));
                    case "s":
                        return Optional.of(Duration.ofSeconds(n));
                    case "m":
                        return Optional.of(Duration.ofMinutes(n));
                    case "h":
                        return Optional.of(Duration.ofHours(n));
                    default:
                        return Optional.of(Duration.ofDays(n));
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // more digits than a long holds, or more seconds than a Duration holds: not a duration
                return Optional.empty();
            }
        }
        try {
            return Optional.of(Duration.parse(text.strip()));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Optional<String> scalarText(ConfigProblems problems, String expected) {
        if (!(node instanceof ScalarNode scalar) || isNull()) {
            problems.add(this, "expected " + expected + ", found " + describe());
            return Optional.empty();
        }
        return Optional.of(scalar.getValue().strip());
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String describe() {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull()) {
            return "nothing";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
