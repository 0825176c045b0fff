package dev.vigil.app.demo;

import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The bundled offline scenario: made-up outlets and the stories they publish over a scenario
 * clock (see {@code demo/scenario.yaml}).
 */
public record DemoScenario(Map<String, Outlet> outlets, List<Item> items) {

    public static final String RESOURCE = "/demo/scenario.yaml";

    public DemoScenario {
        outlets = Map.copyOf(outlets);
        items = items.stream().sorted(Comparator.comparing(Item::at)).toList();
    }

    /** A news outlet: its feed format and the page layout its articles use. */
    public record Outlet(String id, String name, String format, String language, String layout) {
    }

    /**
     * A story.
     *
     * @param at         when it is published on the scenario clock
     * @param outlet     who publishes it
     * @param slug       its page name
     * @param title      headline
     * @param paragraphs body; empty when {@code pageMissing}
     * @param summary    feed summary; the first paragraph when not given
     * @param pageMissing true for a story whose page answers 404 (the feed summary must stand in)
     */
    public record Item(Duration at, String outlet, String slug, String title, List<String> paragraphs, String summary, boolean pageMissing) {
        public Item {
            paragraphs = List.copyOf(paragraphs);
        }
    }

    /** The span of the scenario clock, from its start to its last story. */
    public Duration span() {
        return items.isEmpty() ? Duration.ZERO : items.get(items.size() - 1).at();
    }

    public static DemoScenario load() {
        try (InputStream in = DemoScenario.class.getResourceAsStream(RESOURCE)) {
            Objects.requireNonNull(in, "the demo scenario " + RESOURCE + " is missing from the classpath");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DemoScenario parse(String text) {
        ConfigProblems problems = new ConfigProblems();
        Map<String, ConfigNode> top = ConfigNode.parse(RESOURCE, text).map(problems, Set.of("outlets", "items")).orElse(Map.of());
        Map<String, Outlet> outlets = new LinkedHashMap<>();
        top.getOrDefault("outlets", ConfigNode.parse("-", "{}")).map(problems, Set.of()).orElse(Map.of()).forEach((id, node) -> {
            Map<String, ConfigNode> o = node.map(problems, Set.of("name", "format", "language", "layout")).orElse(Map.of());
            outlets.put(id, new Outlet(id, str(o, "name", node, problems), str(o, "format", node, problems),
                    str(o, "language", node, problems), str(o, "layout", node, problems)));
        });
        List<Item> items = new ArrayList<>();
        for (ConfigNode node : top.get("items").list(problems).orElse(List.of())) {
            Map<String, ConfigNode> i = node.map(problems, Set.of("at", "outlet", "slug", "title", "paragraphs", "summary", "page")).orElse(Map.of());
            double hours = i.get("at").number(problems).orElse(0.0);
            String outlet = str(i, "outlet", node, problems);
            if (!outlets.containsKey(outlet)) {
                problems.add(node, "unknown outlet '" + outlet + "'");
            }
            List<String> paragraphs = i.containsKey("paragraphs") ? i.get("paragraphs").stringList(problems) : List.of();
            boolean missing = i.containsKey("page") && "missing".equals(i.get("page").string(problems).orElse(""));
            String summary = Optional.ofNullable(i.get("summary")).flatMap(s -> s.string(problems))
                    .orElse(paragraphs.isEmpty() ? "" : paragraphs.get(0));
            items.add(new Item(Duration.ofSeconds(Math.round(hours * 3600)), outlet, str(i, "slug", node, problems),
                    str(i, "title", node, problems), paragraphs, summary, missing));
        }
        problems.throwIfAny();
        return new DemoScenario(outlets, items);
    }

    private static String str(Map<String, ConfigNode> map, String key, ConfigNode parent, ConfigProblems problems) {
        ConfigNode node = map.get(key);
        if (node == null) {
            problems.add(parent, "missing key '" + key + "'");
            return "";
        }
        return node.string(problems).orElse("");
    }
}
