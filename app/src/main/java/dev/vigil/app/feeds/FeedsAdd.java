package dev.vigil.app.feeds;

import dev.vigil.app.KafkaCommand;
import dev.vigil.app.CommonOptions;
import dev.vigil.app.Vigil;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.ingest.feed.FeedParseException;
import dev.vigil.ingest.feed.ParsedFeed;
import dev.vigil.ingest.fetch.FetchException;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.HttpUrl;
import dev.vigil.model.PollIntervals;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class FeedsAdd extends KafkaCommand {
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
        polls.problem().ifPresent(p -> {
            throw new CommandLine.ParameterException(spec.commandLine(), p);
        });
        String checked;
        String feedLanguage = null;
        Optional<String> refusedByIngest = Optional.empty();
        try (FeedProbe probe = new FeedProbe(CommonOptions.cidrs(spec, "--allow", allow), timeout)) {
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
        try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, FeedsCommand.KAFKA_TIMEOUT)) {
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

    private static URI httpUrl(CommandSpec spec, String raw) {
        try {
            return HttpUrl.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "URL: expected an absolute http(s) address, found '" + raw + "'");
        }
    }

    private static String quietLanguage(String tag) {
        try {
            return FeedDefinition.language(tag);
        } catch (IllegalArgumentException e) {
            return null;    // a feed's own odd language tag is no reason to refuse it: leave it unset
        }
    }
}
