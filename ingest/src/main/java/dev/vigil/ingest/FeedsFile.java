package dev.vigil.ingest;

import dev.vigil.model.net.Cidr;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.PollIntervals;
import dev.vigil.model.config.ConfigNode;
import dev.vigil.model.config.ConfigProblems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads a feeds file, validated as a whole.
 *
 * <pre>{@code
 * defaults:
 *   interval: 5m          # the interval to start with
 *   min-interval: 1m      # the interval adapts between these bounds to how often a feed publishes
 *   max-interval: 1h
 *   backfill: 20          # most items a newly added feed publishes (its newest)
 * egress:
 *   allow: [10.20.0.0/16] # addresses refused by default (private, loopback...) that internal feeds need
 * feeds:
 *   - id: caribbean-herald
 *     url: https://herald.example/world.rss
 *     source: Caribbean Herald      # optional: defaults to the feed's title
 *     language: en                  # optional
 *     region: bb                    # optional: a country code or a word (world, latam)
 *     interval: 2m                  # optional: defaults.interval (and min/max-interval likewise)
 * }</pre>
 */
public final class FeedsFile {


    /**
     * A feeds file.
     *
     * @param allow    address ranges fetches may reach although refused by default
     * @param backfill most items a newly added feed publishes
     */
    public record Loaded(List<FeedSpec> feeds, List<Cidr> allow, int backfill) {
        public Loaded {
            feeds = List.copyOf(feeds);
            allow = List.copyOf(allow);
        }
    }

    /** The bundled list of world-news feeds, on the classpath: what {@code vigil run} watches when given no feeds. */
    public static final String BUNDLED = "feeds/world-news.yaml";

    private FeedsFile() {
    }

    public static Loaded load(Path file) {
        return parse(ConfigNode.load(file));
    }

    /**
     * The bundled, curated list of real public world-news feeds in English and Spanish (major
     * broadcasters and papers), each with its outlet, language and region.
     */
    public static Loaded loadBundled() {
        try (InputStream in = FeedsFile.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled feed list " + BUNDLED + " is missing from the classpath");
            }
            return parse("bundled " + BUNDLED, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled feed list " + BUNDLED, e);
        }
    }

    public static Loaded parse(String name, String text) {
        return parse(ConfigNode.parse(name, text));
    }

    private static Loaded parse(ConfigNode root) {
        ConfigProblems problems = new ConfigProblems();
        Map<String, ConfigNode> top = root.map(problems, Set.of("defaults", "egress", "feeds")).orElse(Map.of());
        PollIntervals defaults = PollIntervals.DEFAULTS;
        int backfill = IngestSettings.DEFAULT_BACKFILL;
        if (top.containsKey("defaults")) {
            Map<String, ConfigNode> d = top.get("defaults").map(problems, Set.of("interval", "min-interval", "max-interval", "backfill")).orElse(Map.of());
            defaults = intervals(d, PollIntervals.DEFAULTS, problems);
            check(defaults, top.get("defaults"), problems);
            if (d.containsKey("backfill")) {
                ConfigNode b = d.get("backfill");
                backfill = b.integer(problems).orElse(backfill);
                if (backfill < 0) {
                    problems.add(b, "expected 0 or more items, found " + backfill);
                }
            }
        }
        List<Cidr> allow = new ArrayList<>();
        if (top.containsKey("egress")) {
            Map<String, ConfigNode> e = top.get("egress").map(problems, Set.of("allow")).orElse(Map.of());
            if (e.containsKey("allow")) {
                for (ConfigNode n : e.get("allow").list(problems).orElse(List.of())) {
                    n.string(problems).ifPresent(s -> {
                        try {
                            allow.add(Cidr.parse(s));
                        } catch (IllegalArgumentException ex) {
                            problems.add(n, ex.getMessage());
                        }
                    });
                }
            }
        }
        List<FeedSpec> feeds = new ArrayList<>();
        if (!top.containsKey("feeds")) {
            problems.add(root, "missing key 'feeds': a list of feeds to poll");
        } else {
            Set<String> ids = new HashSet<>();
            for (ConfigNode item : top.get("feeds").list(problems).orElse(List.of())) {
                feed(item, defaults, ids, problems).ifPresent(feeds::add);
            }
        }
        problems.throwIfAny();
        return new Loaded(feeds, allow, backfill);
    }

    private static boolean check(PollIntervals i, ConfigNode where, ConfigProblems problems) {
        i.problem().ifPresent(p -> problems.add(where, p));
        return i.problem().isEmpty();
    }

    private static Optional<FeedSpec> feed(ConfigNode item, PollIntervals defaults, Set<String> ids, ConfigProblems problems) {
        Map<String, ConfigNode> f = item.map(problems, Set.of("id", "url", "source", "language", "region", "interval", "min-interval", "max-interval"))
                .orElse(null);
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
        String language = f.containsKey("language") ? tag(f.get("language"), FeedDefinition::language, problems) : null;
        String region = f.containsKey("region") ? tag(f.get("region"), FeedDefinition::region, problems) : null;
        PollIntervals polls = intervals(f, defaults, problems);
        boolean ok = check(polls, item, problems);
        if (id.isEmpty() || url.isEmpty() || !ok) {
            return Optional.empty();
        }
        return Optional.of(new FeedSpec(id.get(), url.get(), source, language, region, polls.interval(), polls.min(), polls.max()));
    }

    private static String tag(ConfigNode node, UnaryOperator<String> normalise, ConfigProblems problems) {
        return node.string(problems).map(text -> {
            try {
                return normalise.apply(text);
            } catch (IllegalArgumentException e) {
                problems.add(node, e.getMessage().substring(e.getMessage().indexOf(':') + 2));
                return null;
            }
        }).orElse(null);
    }

    /** The intervals a map gives; one it leaves out follows {@code defaults}, one it gets wrong (reported) is the default's. */
    private static PollIntervals intervals(Map<String, ConfigNode> m, PollIntervals defaults, ConfigProblems problems) {
        return defaults.resolve(
                m.containsKey("interval") ? interval(m.get("interval"), problems).orElse(defaults.interval()) : null,
                m.containsKey("min-interval") ? interval(m.get("min-interval"), problems).orElse(defaults.min()) : null,
                m.containsKey("max-interval") ? interval(m.get("max-interval"), problems).orElse(defaults.max()) : null);
    }

    private static Optional<Duration> interval(ConfigNode node, ConfigProblems problems) {
        Optional<Duration> d = node.duration(problems);
        if (d.isPresent() && d.get().compareTo(PollIntervals.SHORTEST) < 0) {
            problems.add(node, "expected an interval of at least 1s, found " + d.get());
            return Optional.empty();
        }
        return d;
    }
}
