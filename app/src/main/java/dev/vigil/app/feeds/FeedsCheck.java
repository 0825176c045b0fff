package dev.vigil.app.feeds;

import dev.vigil.app.KafkaCommand;
import dev.vigil.app.CommonOptions;
import dev.vigil.app.JsonLine;
import dev.vigil.app.Progress;
import dev.vigil.app.Vigil;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.feed.FeedItem;
import dev.vigil.ingest.feed.FeedParseException;
import dev.vigil.ingest.feed.ParsedFeed;
import dev.vigil.ingest.fetch.FetchException;
import dev.vigil.model.IngestError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class FeedsCheck extends KafkaCommand {

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
            try (FeedCatalogue c = FeedCatalogue.open(kafka.required(spec), FeedsCommand.KAFKA_TIMEOUT)) {
                c.feeds().values().forEach(f -> all.add(f.url().toString()));
            }
        }
        if (all.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing SOURCE: give feed files or URLs, or --catalogue");
        }
        boolean allOk = true;
        try (FeedProbe probe = new FeedProbe(CommonOptions.cidrs(spec, "--allow", allow), timeout);
             Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "checking", all.size())) {
            for (String source : all) {
                progress.step(source);
                Map<String, Object> line = check(source, probe);
                allOk &= Boolean.TRUE.equals(line.get("ok"));
                spec.commandLine().getOut().println(JsonLine.of(line));
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

    private static boolean isUrl(String source) {
        String s = source.toLowerCase(Locale.ROOT);
        return s.startsWith("http://") || s.startsWith("https://");
    }

    private static ParsedFeed fromUrl(String source, FeedProbe probe) throws FetchException, FeedParseException {
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            throw new FetchException(IngestError.Reason.MALFORMED, "not a URL: " + e.getMessage());
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
