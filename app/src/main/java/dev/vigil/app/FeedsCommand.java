package dev.vigil.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.ingest.feed.FeedItem;
import dev.vigil.ingest.feed.FeedParseException;
import dev.vigil.ingest.feed.FeedParser;
import dev.vigil.ingest.feed.ParsedFeed;
import dev.vigil.ingest.fetch.Cidr;
import dev.vigil.ingest.fetch.EgressPolicy;
import dev.vigil.ingest.fetch.FetchException;
import dev.vigil.ingest.fetch.FetchRequest;
import dev.vigil.ingest.fetch.FetchResult;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.ingest.fetch.Fetcher;
import dev.vigil.ingest.fetch.HostResolver;
import dev.vigil.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil feed ...}: work with feeds without running the pipeline. */
@Command(name = "feed", mixinStandardHelpOptions = true,
        description = "Work with feeds without running the pipeline.",
        subcommands = {FeedCommand.Check.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExample:%n",
        footer = "  vigil feed check https://feeds.bbci.co.uk/news/world/rss.xml saved/*.xml")
final class FeedCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: try `vigil feed check SOURCE...`");
    }

    /** {@code vigil feed check SOURCE...}: parse files or URLs and say what each holds. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Parse each feed (a file or an http(s) URL) and print one JSON line per source:",
                    "  {\"source\",\"ok\":true,\"format\",\"title\",\"entries\",\"first\":{\"title\",\"link\",\"published\"}}",
                    "or {\"source\",\"ok\":false,\"error\":\"<what and where>\"}. URLs go through the same egress guard as ingest.",
                    "Exit 0 when every source parsed, 2 otherwise."},
            footerHeading = "%nExamples:%n",
            footer = {"  vigil feed check feed.xml https://wire.example/atom.xml",
                    "  vigil feed check --allow 10.20.0.0/16 http://news.internal/feed.xml"})
    static final class Check implements Callable<Integer> {

        static final long MAX_BYTES = 10L << 20;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "SOURCE", description = "Feed files or http(s) URLs.")
        List<String> sources = new ArrayList<>();

        @Option(names = "--allow", paramLabel = "CIDR", split = ",",
                description = "Also allow fetching from these addresses, refused by default (private, loopback...); repeat or separate with commas.")
        List<String> allow = new ArrayList<>();

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s", converter = CommonOptions.DurationConverter.class,
                description = "Total time allowed per URL, redirects included (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() {
            List<Cidr> allowed = new ArrayList<>();
            for (String a : allow) {
                try {
                    allowed.add(Cidr.parse(a));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--allow: " + e.getMessage());
                }
            }
            FeedParser parser = new FeedParser(Clock.systemUTC());
            boolean allOk = true;
            try (Fetcher fetcher = new Fetcher(FetchSettings.defaults().withDeadline(timeout), EgressPolicy.publicOnly().allowing(allowed),
                    HostResolver.system())) {
                for (String source : sources) {
                    Map<String, Object> line = check(source, parser, fetcher);
                    allOk &= Boolean.TRUE.equals(line.get("ok"));
                    spec.commandLine().getOut().println(json(line));
                    spec.commandLine().getOut().flush();
                }
            }
            return allOk ? 0 : Vigil.EXIT_INVALID;
        }

        private static Map<String, Object> check(String source, FeedParser parser, Fetcher fetcher) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("source", source);
            try {
                ParsedFeed feed = isUrl(source) ? fromUrl(source, parser, fetcher) : fromFile(source, parser);
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

        private static ParsedFeed fromUrl(String source, FeedParser parser, Fetcher fetcher) throws FetchException, FeedParseException {
            URI uri;
            try {
                uri = new URI(source);
            } catch (java.net.URISyntaxException e) {
                throw new FetchException(dev.vigil.model.IngestError.Reason.MALFORMED, "not a URL: " + e.getMessage());
            }
            FetchResult r = fetcher.get(FetchRequest.of(uri, "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.1",
                    MAX_BYTES));
            return parser.parse(r.body(), r.contentType(), Optional.of(r.uri()));
        }

        private static ParsedFeed fromFile(String source, FeedParser parser) throws IOException, FeedParseException {
            Path path = Path.of(source);
            if (Files.size(path) > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readAllBytes();
            }
            return parser.parse(bytes, Optional.empty(), Optional.empty());
        }
    }

    static String json(Map<String, Object> line) {
        try {
            return Json.mapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }
}
