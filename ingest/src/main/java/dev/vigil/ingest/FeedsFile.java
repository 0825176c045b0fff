package dev.vigil.ingest;

import dev.vigil.model.FeedId;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblems;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a feeds file, validated as a whole.
 *
 * <pre>{@code
 * defaults:
 *   interval: 5m
 * feeds:
 *   - id: caribbean-herald
 *     url: https://herald.example/world.rss
 *     source: Caribbean Herald      # optional: defaults to the feed's title
 *     language: en                  # optional
 *     interval: 2m                  # optional: defaults.interval
 * }</pre>
 */
public final class FeedsFile {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private FeedsFile() {
    }

    public static List<FeedSpec> load(Path file) {
        return parse(ConfigNode.load(file));
    }

    public static List<FeedSpec> parse(String name, String text) {
        return parse(ConfigNode.parse(name, text));
    }

    private static List<FeedSpec> parse(ConfigNode root) {
        ConfigProblems problems = new ConfigProblems();
        Map<String, ConfigNode> top = root.map(problems, Set.of("defaults", "feeds")).orElse(Map.of());
        Duration defaultInterval = DEFAULT_INTERVAL;
        if (top.containsKey("defaults")) {
            Map<String, ConfigNode> defaults = top.get("defaults").map(problems, Set.of("interval")).orElse(Map.of());
            if (defaults.containsKey("interval")) {
                defaultInterval = interval(defaults.get("interval"), problems).orElse(DEFAULT_INTERVAL);
            }
        }
        List<FeedSpec> feeds = new ArrayList<>();
        if (!top.containsKey("feeds")) {
            problems.add(root, "missing key 'feeds': a list of feeds to poll");
        } else {
            Set<String> ids = new HashSet<>();
            for (ConfigNode item : top.get("feeds").list(problems).orElse(List.of())) {
                feed(item, defaultInterval, ids, problems).ifPresent(feeds::add);
            }
        }
        problems.throwIfAny();
        return List.copyOf(feeds);
    }

    private static Optional<FeedSpec> feed(ConfigNode item, Duration defaultInterval, Set<String> ids, ConfigProblems problems) {
        Map<String, ConfigNode> f = item.map(problems, Set.of("id", "url", "source", "language", "interval")).orElse(null);
        if (f == null) {
            return Optional.empty();
        }
        Optional<FeedId> id = Optional.empty();
        if (!f.containsKey("id")) {
            problems.add(item, "missing key 'id': a short name for the feed, such as caribbean-herald");
        } else {
            ConfigNode idNode = f.get("id");
            id = idNode.string(problems).flatMap(text -> {
                try {
                    if (!ids.add(text)) {
                        problems.add(idNode, "feed id '" + text + "' is used twice");
                        return Optional.empty();
                    }
                    return Optional.of(new FeedId(text));
                } catch (IllegalArgumentException e) {
                    problems.add(idNode, e.getMessage());
                    return Optional.empty();
                }
            });
        }
        Optional<URI> url = Optional.empty();
        if (!f.containsKey("url")) {
            problems.add(item, "missing key 'url': the feed's http(s) address");
        } else {
            url = f.get("url").httpUrl(problems);
        }
        String source = f.containsKey("source") ? f.get("source").string(problems).orElse(null) : null;
        String language = f.containsKey("language") ? f.get("language").string(problems).orElse(null) : null;
        Duration interval = f.containsKey("interval") ? interval(f.get("interval"), problems).orElse(defaultInterval) : defaultInterval;
        if (id.isEmpty() || url.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FeedSpec(id.get(), url.get(), source, language, interval));
    }

    private static Optional<Duration> interval(ConfigNode node, ConfigProblems problems) {
        Optional<Duration> d = node.duration(problems);
        if (d.isPresent() && d.get().compareTo(MIN_INTERVAL) < 0) {
            problems.add(node, "expected an interval of at least 1s, found " + d.get());
            return Optional.empty();
        }
        return d;
    }
}
