package dev.vigil.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.ingest.FeedStates;
import dev.vigil.ingest.FeedsFile;
import dev.vigil.ingest.OpmlFile;
import dev.vigil.ingest.feed.FeedItem;
import dev.vigil.ingest.feed.FeedParseException;
import dev.vigil.ingest.feed.ParsedFeed;
import dev.vigil.model.HttpUrl;
import dev.vigil.model.net.Cidr;
import dev.vigil.ingest.fetch.FetchException;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedHealth;
import dev.vigil.model.FeedId;
import dev.vigil.model.PollIntervals;
import dev.vigil.model.FeedState;
import dev.vigil.model.Json;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil feeds ...}: the feed catalogue (the compacted topic vigil.feeds) that every ingest
 * instance follows live, and feed checks that need no pipeline. {@code vigil feed} is the same.
 */
@Command(name = "feeds", aliases = "feed", mixinStandardHelpOptions = true,
        description = {"Manage the feeds Vigil watches, live, and check feeds.",
                "The catalogue (the Kafka topic vigil.feeds) is followed by every ingest instance, so a feed added or removed here",
                "is polled or dropped within seconds, without a restart."},
        subcommands = {FeedsCommand.Add.class, FeedsCommand.Remove.class, FeedsCommand.ListFeeds.class, FeedsCommand.Check.class,
                FeedsCommand.Import.class, FeedsCommand.Export.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  vigil feeds list --bootstrap-servers kafka:9092",
                "  vigil feeds add https://www.theguardian.com/world/americas/rss --language en --region gb --bootstrap-servers kafka:9092",
                "  vigil feeds check https://feeds.bbci.co.uk/news/world/rss.xml saved/*.xml"})
final class FeedsCommand implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: add, remove, list, check, import or export");
    }

    /** {@code vigil feeds add URL}: check a feed, then put it in the catalogue. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a feed to the catalogue, once it has been checked.",
                    "The feed is fetched and parsed first, through the same egress guard as ingest; if that fails the command says why",
                    "and exits 2, unless --force. --replace changes a feed already there.",
                    "Ingest polls the new feed within seconds, on whichever instance owns it. --allow lets only this check through:",
                    "the allow-list does not travel with the feed, so for an address the egress guard refuses (private, loopback…)",
                    "the command says that ingest will refuse it unless ingest's own egress.allow covers it."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil feeds add https://www.theguardian.com/world/americas/rss --language en --region gb --bootstrap-servers kafka:9092",
                    "  vigil feeds add http://news.internal/feed.xml --id internal-wire --allow 10.20.0.0/16 --bootstrap-servers kafka:9092",
                    "%nExit codes: 0 added; 2 the feed failed its check, the id or URL is taken, or an option is invalid."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Kafka kafka;

        @Parameters(paramLabel = "URL", description = "The feed's http(s) address (RSS, Atom, RDF or JSON Feed).")
        String url;

        @Option(names = "--id", paramLabel = "ID", description = "Its name in logs, metrics and errors (default: from the address, e.g. theguardian-world-americas).")
        String id;

        @Option(names = "--source", paramLabel = "NAME", description = "The outlet's name shown in alerts (default: the feed's own title).")
        String source;

        @Option(names = "--language", paramLabel = "TAG", description = "Its language, e.g. en or es (default: what the feed says, if anything).")
        String language;

        @Option(names = "--region", paramLabel = "REGION", description = "The outlet's country code or a word such as world or latam.")
        String region;

        @Option(names = "--interval", paramLabel = "DURATION", converter = CommonOptions.DurationConverter.class,
                description = "Time between polls to start with (default: 5m; it adapts between --min-interval, default 1m, and --max-interval, default 1h).")
        Duration interval;

        @Option(names = "--min-interval", paramLabel = "DURATION", converter = CommonOptions.DurationConverter.class, description = "Shortest time between polls.")
        Duration minInterval;

        @Option(names = "--max-interval", paramLabel = "DURATION", converter = CommonOptions.DurationConverter.class, description = "Longest time between polls.")
        Duration maxInterval;

        @Option(names = "--allow", paramLabel = "CIDR", split = ",",
                description = "Let the check reach these addresses, refused by default (private, loopback…). Ingest needs the same in its feeds file's egress.allow.")
        List<String> allow = new ArrayList<>();

        @Option(names = "--force", description = "Add the feed even if its check fails (ingest retries a failing feed with backoff).")
        boolean force;

        @Option(names = "--replace", description = "Replace the feed of the same id if there is one.")
        boolean replace;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s", converter = CommonOptions.DurationConverter.class,
                description = "Total time allowed for the check, redirects included (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() {
            KafkaConnection bootstrap = kafka.required(spec);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            URI uri = httpUrl(spec, url);
            PollIntervals polls = PollIntervals.DEFAULTS.resolve(interval, minInterval, maxInterval);
            String checked;
            String feedLanguage = null;
            Optional<String> refusedByIngest = Optional.empty();
            try (FeedProbe probe = new FeedProbe(cidrs(spec, allow), timeout)) {
                // an address catalogue writers could open by themselves would let them point every ingest at internal
                // services: ingest's egress policy is its own configuration's, so say what it will do instead
                refusedByIngest = allow.isEmpty() ? Optional.empty() : probe.refusedByDefault(uri);
                ParsedFeed feed = probe.check(uri);
                checked = String.format(Locale.ROOT, "%s, '%s', %d entries", feed.format(), feed.title(), feed.items().size());
                feedLanguage = feed.language().orElse(null);
            } catch (FetchException e) {
                if (!force) {
                    return refuse(err, uri, e.reason().wireName() + ": " + e.getMessage(), hint(e));
                }
                checked = "check failed: " + e.reason().wireName() + ": " + e.getMessage() + "; added anyway (--force)";
            } catch (FeedParseException e) {
                if (!force) {
                    return refuse(err, uri, e.reason().wireName() + ": " + e.getMessage(), "is it the feed's address, not the site's?");
                }
                checked = "check failed: " + e.reason().wireName() + ": " + e.getMessage() + "; added anyway (--force)";
            }
            FeedDefinition definition;
            try {
                FeedId feedId = id != null ? new FeedId(id) : FeedSpec.suggestId(null, uri);
                String lang = language != null ? language : quietLanguage(feedLanguage);
                definition = new FeedDefinition(FeedDefinition.SCHEMA_VERSION, feedId, uri, source, lang, region, polls.interval(), polls.min(), polls.max(), "cli", Instant.now());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, KAFKA_TIMEOUT)) {
                Optional<FeedDefinition> sameId = catalogue.get(definition.id());
                if (sameId.isPresent() && !replace) {
                    err.printf("vigil feeds add: the catalogue already has a feed '%s' (%s): choose another --id, or --replace it%n", definition.id(),
                            sameId.get().url());
                    return Vigil.EXIT_INVALID;
                }
                Optional<FeedDefinition> sameUrl = catalogue.feeds().values().stream()
                        .filter(f -> f.url().equals(uri) && !f.id().equals(definition.id())).findFirst();
                if (sameUrl.isPresent()) {
                    err.printf("vigil feeds add: %s is already in the catalogue as '%s'%n", uri, sameUrl.get().id());
                    return Vigil.EXIT_INVALID;
                }
                catalogue.put(definition);
                out.printf("%s %s: %s (%s); %s%n", sameId.isPresent() ? "replaced" : "added", definition.id(), uri, checked,
                        refusedByIngest.isEmpty() ? "ingest polls it within seconds" : "ingest will refuse it unless allowed there");
                refusedByIngest.ifPresent(a -> err.printf("vigil feeds add: warning: ingest refuses %s unless its own egress.allow (in its feeds file) covers it:"
                        + " --allow let only this check through, it does not travel with the feed%n", a));
            }
            return 0;
        }

        private static int refuse(PrintWriter err, URI uri, String why, String hint) {
            err.printf("vigil feeds add: %s was not added: %s%n  %s (or add it anyway with --force: ingest retries a failing feed with backoff)%n",
                    uri, why, hint);
            return Vigil.EXIT_INVALID;
        }

        private static String hint(FetchException e) {
            return switch (e.reason()) {
                case UNREACHABLE -> "check the address and this machine's network (DNS, proxy, firewall)";
                case REFUSED -> "a private or internal address is refused unless allowed: --allow CIDR here, egress.allow in the feeds file for ingest";
                case TIMEOUT -> "the server did not answer in time; try a longer --timeout";
                case HTTP_STATUS -> "the server answered with an error: is this the feed's address?";
                default -> "see the reason above";
            };
        }

        private static String quietLanguage(String tag) {
            try {
                return FeedDefinition.language(tag);
            } catch (IllegalArgumentException e) {
                return null;    // a feed's own odd language tag is no reason to refuse it: leave it unset
            }
        }
    }

    /** {@code vigil feeds remove ID...}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove feeds from the catalogue.",
                    "Ingest stops polling them within seconds. What they published stays; a feed added back later resumes from its",
                    "saved state and publishes nothing twice."},
            footerHeading = "%nExample:%n",
            footer = {"  vigil feeds remove guardian-americas --bootstrap-servers kafka:9092",
                    "%nExit codes: 0 removed; 1 a feed named is not in the catalogue (the others are removed)."})
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Kafka kafka;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "Feed ids, as `vigil feeds list` shows them.")
        List<String> ids = new ArrayList<>();

        @Override
        public Integer call() {
            KafkaConnection bootstrap = kafka.required(spec);
            List<FeedId> feeds = new ArrayList<>();
            for (String raw : ids) {
                try {
                    feeds.add(new FeedId(raw));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            int missing = 0;
            try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, KAFKA_TIMEOUT)) {
                for (FeedId id : feeds) {
                    if (catalogue.remove(id)) {
                        spec.commandLine().getOut().println("removed " + id);
                    } else {
                        missing++;
                        spec.commandLine().getErr().println("vigil feeds remove: no feed '" + id + "' in the catalogue");
                    }
                }
            }
            return missing == 0 ? 0 : Vigil.EXIT_FAILED;
        }
    }

    /** {@code vigil feeds list}: the catalogue with each feed's health. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the feeds of the catalogue with their health.",
                    "Health comes from vigil.ingest.state: last success, failures in a row, next poll, share of polls answered",
                    "304 Not Modified, and the last error. HEALTH is ok, pending (not polled yet),",
                    "slowed (failed lately, backing off) or failing (3+ failures in a row, or never reached), with the reason."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil feeds list --bootstrap-servers kafka:9092",
                    "  vigil feeds list --json --bootstrap-servers kafka:9092 | jq -r 'select(.health != \"ok\") | .id'"})
    static final class ListFeeds implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Kafka kafka;

        @Option(names = "--json", description = "One JSON object per feed instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            KafkaConnection bootstrap = kafka.required(spec);
            PrintWriter out = spec.commandLine().getOut();
            Map<FeedId, FeedDefinition> feeds;
            try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, KAFKA_TIMEOUT)) {
                feeds = new LinkedHashMap<>(catalogue.feeds());
            }
            Map<FeedId, FeedState> states = FeedStates.read(bootstrap, KAFKA_TIMEOUT);
            if (!json) {
                out.printf(Locale.ROOT, "%-24s %-5s %-6s %-25s %-17s %5s %-17s %4s  %s%n", "ID", "LANG", "REGION", "HEALTH", "LAST SUCCESS", "FAILS",
                        "NEXT POLL", "304", "SOURCE  URL");
            }
            for (FeedDefinition f : feeds.values()) {
                FeedState s = states.get(f.id());
                if (json) {
                    out.println(json(row(f, s)));
                } else {
                    out.printf(Locale.ROOT, "%-24s %-5s %-6s %-25s %-17s %5s %-17s %4s  %s%s%n", f.id(), dash(f.language()), dash(f.region()), healthLabel(s),
                            s == null || s.lastSuccess() == null ? "never" : TIME.format(s.lastSuccess()), s == null ? "-" : s.consecutiveFailures(),
                            s == null ? "-" : TIME.format(s.nextPoll()), s == null || s.polls() == 0 ? "-" : Math.round(s.notModifiedShare() * 100) + "%",
                            f.source() == null ? "" : f.source() + "  ", f.url());
                }
            }
            if (!json) {
                FeedHealth.Summary counts = FeedHealth.Summary.count(feeds.keySet().stream().map(id -> FeedHealth.of(states.get(id))));
                out.printf("%d feeds: %s%n", feeds.size(), Stream.of(FeedHealth.OK, FeedHealth.SLOWED, FeedHealth.FAILING, FeedHealth.PENDING)
                        .map(h -> counts.count(h) + " " + h.wireName()).collect(Collectors.joining(", ")));
            }
            return 0;
        }

        private static Map<String, Object> row(FeedDefinition f, FeedState s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id().value());
            m.put("url", f.url().toString());
            m.put("source", f.source());
            m.put("language", f.language());
            m.put("region", f.region());
            m.put("health", FeedHealth.of(s).wireName());
            m.put("reason", s == null || s.failureReason() == null ? null : s.failureReason().wireName());
            if (s != null) {
                m.put("lastSuccess", s.lastSuccess() == null ? null : s.lastSuccess().toString());
                m.put("consecutiveFailures", s.consecutiveFailures());
                m.put("nextPoll", s.nextPoll().toString());
                m.put("polls", s.polls());
                m.put("notModifiedShare", s.notModifiedShare());
                m.put("lastError", s.lastError());
            }
            return m;
        }

        private static String dash(String s) {
            return s == null ? "-" : s;
        }
    }

    /** "failing (timeout)": a feed's health with the reason it is not ok, if any. */
    static String healthLabel(FeedState s) {
        FeedHealth h = FeedHealth.of(s);
        return s == null || h == FeedHealth.OK || s.failureReason() == null ? h.wireName() : h.wireName() + " (" + s.failureReason().wireName() + ")";
    }

    /** {@code vigil feeds check SOURCE...}: parse files or URLs and say what each holds. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check that feeds parse: files, URLs, or every feed of the catalogue.",
                    "Prints one JSON line per source:",
                    "  {\"source\",\"ok\":true,\"format\",\"title\",\"entries\",\"first\":{\"title\",\"link\",\"published\"}}",
                    "or {\"source\",\"ok\":false,\"error\":\"<what and where>\"}. URLs go through the same egress guard as ingest.",
                    "On a terminal, progress is shown on standard error.",
                    "Exit 0 when every source parsed, 2 otherwise."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil feeds check feed.xml https://wire.example/atom.xml",
                    "  vigil feeds check --allow 10.20.0.0/16 http://news.internal/feed.xml",
                    "  vigil feeds check --catalogue --bootstrap-servers kafka:9092"})
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Kafka kafka;

        @Parameters(arity = "0..*", paramLabel = "SOURCE", description = "Feed files or http(s) URLs.")
        List<String> sources = new ArrayList<>();

        @Option(names = "--catalogue", description = "Also check every feed of the catalogue (needs Kafka).")
        boolean catalogue;

        @Option(names = "--allow", paramLabel = "CIDR", split = ",",
                description = "Also allow fetching from these addresses, refused by default (private, loopback...); repeat or separate with commas.")
        List<String> allow = new ArrayList<>();

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s", converter = CommonOptions.DurationConverter.class,
                description = "Total time allowed per URL, redirects included (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() {
            List<String> all = new ArrayList<>(sources);
            if (catalogue) {
                try (FeedCatalogue c = FeedCatalogue.open(kafka.required(spec), KAFKA_TIMEOUT)) {
                    c.feeds().values().forEach(f -> all.add(f.url().toString()));
                }
            }
            if (all.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing SOURCE: give feed files or URLs, or --catalogue");
            }
            boolean allOk = true;
            try (FeedProbe probe = new FeedProbe(cidrs(spec, allow), timeout);
                 Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "checking", all.size())) {
                for (String source : all) {
                    progress.step(source);
                    Map<String, Object> line = check(source, probe);
                    allOk &= Boolean.TRUE.equals(line.get("ok"));
                    spec.commandLine().getOut().println(json(line));
                    spec.commandLine().getOut().flush();
                }
            }
            return allOk ? 0 : Vigil.EXIT_INVALID;
        }

        private static Map<String, Object> check(String source, FeedProbe probe) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("source", source);
            try {
                ParsedFeed feed = isUrl(source) ? fromUrl(source, probe) : fromFile(source, probe);
                out.put("ok", true);
                out.put("format", feed.format());
                out.put("title", feed.title());
                out.put("entries", feed.items().size());
                if (!feed.items().isEmpty()) {
                    FeedItem first = feed.items().get(0);
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("title", first.title());
                    f.put("link", first.link().orElse(null));
                    f.put("published", first.published().map(Object::toString).orElse(null));
                    out.put("first", f);
                }
                if (!feed.notes().isEmpty()) {
                    out.put("notes", feed.notes());
                }
            } catch (FeedParseException e) {
                fail(out, source + ": " + e.reason().wireName() + ": " + e.getMessage());
            } catch (FetchException e) {
                fail(out, source + ": " + e.reason().wireName() + ": " + e.getMessage());
            } catch (NoSuchFileException e) {
                fail(out, source + ": no such file");
            } catch (IOException | InvalidPathException e) {
                fail(out, source + ": cannot read: " + e.getMessage());
            } catch (RuntimeException e) {
                // one source's surprise must not hide the others' results, nor print a stack trace
                fail(out, source + ": internal error: " + e);
            }
            return out;
        }

        private static void fail(Map<String, Object> out, String error) {
            out.put("ok", false);
            out.put("error", error);
        }

        static boolean isUrl(String source) {
            String s = source.toLowerCase(Locale.ROOT);
            return s.startsWith("http://") || s.startsWith("https://");
        }

        private static ParsedFeed fromUrl(String source, FeedProbe probe) throws FetchException, FeedParseException {
            URI uri;
            try {
                uri = new URI(source);
            } catch (URISyntaxException e) {
                throw new FetchException(dev.vigil.model.IngestError.Reason.MALFORMED, "not a URL: " + e.getMessage());
            }
            return probe.check(uri);
        }

        private static ParsedFeed fromFile(String source, FeedProbe probe) throws IOException, FeedParseException {
            Path path = Path.of(source);
            if (Files.size(path) > FeedProbe.MAX_BYTES) {
                throw new IOException("larger than " + FeedProbe.MAX_BYTES + " bytes");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readAllBytes();
            }
            return probe.parser().parse(bytes, Optional.empty(), Optional.empty());
        }
    }

    /** {@code vigil feeds import FILE.opml}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Add the feeds of an OPML subscription list to the catalogue.",
                    "OPML is what Feedly, Miniflux, FreshRSS, Inoreader or NetNewsWire export. Folders are flattened; a feed whose",
                    "address is already in the catalogue is left as it is.",
                    "Feeds are not fetched first: `vigil feeds list` shows how each one does once ingest polls it."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil feeds import subscriptions.opml --bootstrap-servers kafka:9092",
                    "  vigil feeds import subscriptions.opml --dry-run      # what would be added; needs no Kafka",
                    "%nExit codes: 0 imported; 2 the file is not OPML or an outline is invalid (file:line: outline: reason); nothing is written then."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Kafka kafka;

        @Parameters(paramLabel = "FILE.opml", description = "An OPML 1.0 or 2.0 file.")
        Path file;

        @Option(names = "--dry-run", description = "Print the feeds the file holds (and, with Kafka, which are new) without writing anything.")
        boolean dryRun;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            OpmlFile.Imported imported = OpmlFile.read(file);
            imported.notes().forEach(n -> err.println("vigil feeds import: " + n));
            if (dryRun && kafka.embedded()) {
                imported.feeds().forEach(f -> out.printf("%-32s %-5s %s%n", f.id(), f.language() == null ? "-" : f.language(), f.url()));
                out.printf("%d feeds in %s (dry run: nothing written)%n", imported.feeds().size(), file);
                return 0;
            }
            Instant now = Instant.now();
            try (FeedCatalogue catalogue = FeedCatalogue.open(kafka.required(spec), KAFKA_TIMEOUT)) {
                Map<URI, FeedId> known = catalogue.feeds().values().stream().collect(Collectors.toMap(FeedDefinition::url, FeedDefinition::id, (a, b) -> a));
                List<FeedDefinition> fresh = new ArrayList<>();
                int already = 0;
                for (FeedSpec f : imported.feeds()) {
                    if (known.containsKey(f.url())) {
                        already++;
                        continue;
                    }
                    FeedSpec free = freeId(f, id -> catalogue.get(id).isPresent() || fresh.stream().anyMatch(d -> d.id().equals(id)));
                    fresh.add(free.toDefinition("opml", now));
                }
                fresh.forEach(f -> out.printf("%s %-32s %s%n", dryRun ? "would add" : "added", f.id(), f.url()));
                if (!dryRun) {
                    catalogue.seed(fresh);
                }
                out.printf("%s %d feeds from %s (%d already in the catalogue, %d passed over)%n", dryRun ? "would import" : "imported", fresh.size(), file,
                        already, imported.notes().size());
            }
            return 0;
        }

        private static FeedSpec freeId(FeedSpec f, Predicate<FeedId> taken) {
            FeedId id = f.id();
            for (int n = 2; taken.test(id); n++) {
                String suffix = "-" + n;
                id = new FeedId(f.id().value().substring(0, Math.min(f.id().value().length(), 64 - suffix.length())) + suffix);
            }
            return new FeedSpec(id, f.url(), f.source(), f.language(), f.region(), f.interval(), f.minInterval(), f.maxInterval());
        }
    }

    /** {@code vigil feeds export}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write the catalogue as an OPML 2.0 subscription list.",
                    "One folder per language, for any feed reader to import.",
                    "Vigil's own settings (id, region, intervals) ride along in vigil-* attributes, so `vigil feeds import` restores them."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil feeds export --bootstrap-servers kafka:9092 > vigil-feeds.opml",
                    "  vigil feeds export --output vigil-feeds.opml --bootstrap-servers kafka:9092"})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions.Config config;

        @Mixin
        CommonOptions.Kafka kafka;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of standard output.")
        Path output;

        @Override
        public Integer call() throws IOException {
            String opml;
            int count;
            try (FeedCatalogue catalogue = FeedCatalogue.open(kafka.required(spec), KAFKA_TIMEOUT)) {
                count = catalogue.feeds().size();
                opml = OpmlFile.write(List.copyOf(catalogue.feeds().values()), "Vigil feeds", Instant.now());
            }
            if (output == null) {
                spec.commandLine().getOut().print(opml);
                spec.commandLine().getOut().flush();
            } else {
                Files.writeString(output, opml, StandardCharsets.UTF_8);
                spec.commandLine().getErr().printf("vigil feeds export: %d feeds written to %s%n", count, output);
            }
            return 0;
        }
    }

    static URI httpUrl(CommandSpec spec, String raw) {
        try {
            return HttpUrl.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "URL: expected an absolute http(s) address, found '" + raw + "'");
        }
    }

    static List<Cidr> cidrs(CommandSpec spec, List<String> allow) {
        return cidrs(spec, "--allow", allow);
    }

    /** Address ranges given with {@code option}, each checked (an address literal, never a name). */
    static List<Cidr> cidrs(CommandSpec spec, String option, List<String> allow) {
        List<Cidr> allowed = new ArrayList<>();
        for (String a : allow) {
            try {
                allowed.add(Cidr.parse(a));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }
        return allowed;
    }

    static String json(Map<String, Object> line) {
        try {
            return Json.mapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }
}
