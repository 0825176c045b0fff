package dev.vigil.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every file of the shared feeds corpus (about 3,900: feedparser's, Rome's and gofeed's suites,
 * real captures) must give a parsed feed or a clear rejection, never a crash or a hang; and on
 * the files that come with gofeed's and feed-rs's expected output, titles, links and dates must
 * agree with those at least as well as they did when this test was written. The figures are
 * written to {@code target/feed-corpus-report.txt} (BENCHMARKS.md quotes them).
 */
class FeedCorpusTest {

    /** Agreement floors: the measured figures, so a regression fails. */
    static final double MIN_TITLE_AGREEMENT = 0.90;   // measured 0.911 (224/246)
    static final double MIN_LINK_AGREEMENT = 0.95;    // measured 0.954 (103/108)
    static final double MIN_DATE_AGREEMENT = 0.95;    // measured 0.956 (87/91)

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FeedParser parser = new FeedParser(Clock.systemUTC());

    static Path corpus() {
        Path root = Path.of(System.getProperty("vigil.corpora", "../shared/corpora"), "feeds");
        Assumptions.assumeTrue(Files.isDirectory(root), "the shared feeds corpus is not at " + root.toAbsolutePath() + " (set -Dvigil.corpora)");
        return root;
    }

    record Outcome(Path file, Optional<ParsedFeed> feed, String rejection, boolean crashed, boolean hung) {
    }

    Outcome run(ExecutorService pool, Path file) throws IOException, InterruptedException {
        byte[] bytes = Files.readAllBytes(file);
        Future<ParsedFeed> f = pool.submit(() -> parser.parse(bytes, Optional.empty(), Optional.empty()));
        try {
            return new Outcome(file, Optional.of(f.get(30, TimeUnit.SECONDS)), "", false, false);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FeedParseException rejected) {
                assertThat(rejected.getMessage()).as("rejection of " + file).isNotBlank();
                return new Outcome(file, Optional.empty(), rejected.reason().wireName() + ": " + rejected.getMessage(), false, false);
            }
            return new Outcome(file, Optional.empty(), "CRASH " + e.getCause(), true, false);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome(file, Optional.empty(), "HANG", false, true);
        }
    }

    @Test
    void everyFileParsesOrIsClearlyRejectedAndAgreesWithGofeedAndFeedRs() throws Exception {
        Path root = corpus();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "corpus-parse");
            t.setDaemon(true);
            return t;
        });
        Map<String, int[]> byDir = new TreeMap<>();
        Map<String, Integer> byReason = new TreeMap<>();
        List<String> crashes = new ArrayList<>();
        Agreement agreement = new Agreement();
        int parsed = 0;
        int rejected = 0;
        long started = System.nanoTime();
        try {
            for (Path file : files) {
                Outcome o = run(pool, file);
                Path rel = root.relativize(file);
                String dir = rel.getNameCount() <= 1 ? "." : rel.subpath(0, Math.min(2, rel.getNameCount() - 1)).toString();
                int[] counts = byDir.computeIfAbsent(dir, d -> new int[3]);
                if (o.crashed() || o.hung()) {
                    crashes.add(root.relativize(file) + ": " + o.rejection());
                    counts[2]++;
                } else if (o.feed().isPresent()) {
                    parsed++;
                    counts[0]++;
                    agreement.check(root, file, o.feed().get());
                } else {
                    rejected++;
                    counts[1]++;
                    byReason.merge(o.rejection().replaceAll("(: line|, line| at line|: Error on line| at ).*$", "").replaceAll("'[^']*'", "'…'")
                            .replaceAll("<[^>]*>", "<…>").replaceAll("\\d+", "N"), 1, Integer::sum);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "feeds corpus: %d files, %d parsed, %d rejected, %d crashed or hung, %d ms%n",
                files.size(), parsed, rejected, crashes.size(), tookMs));
        byDir.forEach((d, c) -> report.append(String.format(Locale.ROOT, "  %-55s parsed %5d  rejected %5d  crashed %d%n", d, c[0], c[1], c[2])));
        report.append("rejections by kind:\n");
        byReason.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
                .forEach(e -> report.append(String.format(Locale.ROOT, "  %5d  %s%n", e.getValue(), e.getKey())));
        report.append(agreement.report());
        crashes.forEach(c -> report.append("CRASH ").append(c).append('\n'));
        Path out = Path.of("target", "feed-corpus-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        System.out.print(report);

        assertThat(crashes).as("files that crashed the parser or hung").isEmpty();
        assertThat(parsed + rejected).isEqualTo(files.size());
        assertThat(agreement.title.share()).as("title agreement").isGreaterThanOrEqualTo(MIN_TITLE_AGREEMENT);
        assertThat(agreement.link.share()).as("link agreement").isGreaterThanOrEqualTo(MIN_LINK_AGREEMENT);
        assertThat(agreement.date.share()).as("date agreement").isGreaterThanOrEqualTo(MIN_DATE_AGREEMENT);
    }

    /** Agreement of our parse with gofeed's (universal translator model) and feed-rs's expected outputs. */
    static final class Agreement {
        final Field title = new Field("title (feed and items)");
        final Field link = new Field("item link");
        final Field date = new Field("item published/updated");
        int gofeedFiles;
        int feedRsFiles;
        int expectedButRejected;

        void check(Path root, Path file, ParsedFeed feed) throws IOException {
            String name = file.getFileName().toString();
            String rel = root.relativize(file).toString().replace('\\', '/');
            if (rel.startsWith("gofeed/testdata/parser/json/") && name.endsWith(".json") && !name.endsWith("_expected.json")) {
                Path expected = file.resolveSibling(name.substring(0, name.length() - 5) + "_expected.json");
                if (Files.exists(expected)) {
                    gofeedFiles++;
                    compareGofeed(rel, JSON.readTree(expected.toFile()), feed);
                }
            } else if (rel.startsWith("gofeed/testdata/") && name.endsWith(".xml")) {
                Path expected = file.resolveSibling(name.substring(0, name.length() - 4) + ".json");
                if (Files.exists(expected)) {
                    gofeedFiles++;
                    compareGofeed(rel, JSON.readTree(expected.toFile()), feed);
                }
            } else if (rel.startsWith("realworld/feed-rs/") && !name.endsWith(".json")) {
                Path expected = file.resolveSibling(name.replaceFirst("\\.[^.]+$", "") + ".serde.json");
                if (Files.exists(expected)) {
                    feedRsFiles++;
                    compareFeedRs(rel, JSON.readTree(expected.toFile()), feed);
                }
            }
        }

        private void compareGofeed(String rel, JsonNode exp, ParsedFeed feed) {
            if (exp.has("title")) {
                title.compare(rel + " feed", text(exp.path("title").asText()), feed.title());
            }
            // the universal model (translator/) and the RSS model have "items", the Atom model "entries"
            JsonNode items = exp.has("entries") ? exp.path("entries") : exp.path("items");
            for (int i = 0; i < items.size() && i < feed.items().size(); i++) {
                JsonNode e = items.get(i);
                FeedItem got = feed.items().get(i);
                if (e.path("title").isTextual()) {
                    title.compare(rel + " item " + i, text(e.path("title").asText()), got.title());
                }
                if (e.path("link").isTextual()) {
                    link.compare(rel + " item " + i, e.path("link").asText().strip(), got.link().orElse(""));
                } else if (e.path("url").isTextual()) {
                    link.compare(rel + " item " + i, e.path("url").asText().strip(), got.link().orElse(""));
                } else if (e.path("links").isArray() && !e.path("links").isEmpty() && e.path("links").get(0).isObject()) {
                    String alternate = null;
                    for (JsonNode l : e.path("links")) {
                        String rel2 = l.path("rel").asText("alternate");
                        if (alternate == null && (rel2.isEmpty() || rel2.equals("alternate"))) {
                            alternate = l.path("href").asText().strip();
                        }
                    }
                    if (alternate != null) {
                        link.compare(rel + " item " + i, alternate, got.link().orElse(""));
                    }
                }
                String when = e.has("publishedParsed") ? e.path("publishedParsed").asText() : e.has("updatedParsed") ? e.path("updatedParsed").asText()
                        : e.has("pubDateParsed") ? e.path("pubDateParsed").asText() : e.path("date_published").isTextual() ? e.path("date_published").asText() : null;
                if (when != null) {
                    date.compare(rel + " item " + i, instant(when), got.published().map(Instant::toString).orElse(verdict(got)));
                }
            }
        }

        private void compareFeedRs(String rel, JsonNode exp, ParsedFeed feed) {
            if (exp.path("title").has("content")) {
                title.compare(rel + " feed", text(exp.path("title").path("content").asText()), feed.title());
            }
            JsonNode entries = exp.path("entries");
            for (int i = 0; i < entries.size() && i < feed.items().size(); i++) {
                JsonNode e = entries.get(i);
                FeedItem got = feed.items().get(i);
                if (e.path("title").has("content")) {
                    title.compare(rel + " item " + i, text(e.path("title").path("content").asText()), got.title());
                }
                JsonNode links = e.path("links");
                if (links.isArray() && !links.isEmpty()) {
                    List<String> hrefs = new ArrayList<>();
                    links.forEach(l -> hrefs.add(l.path("href").asText().strip()));
                    String ours = got.link().orElse("");
                    link.compare(rel + " item " + i, hrefs.contains(ours) ? ours : hrefs.get(0), ours);
                }
                JsonNode when = e.path("published").isTextual() ? e.path("published") : e.path("updated");
                if (when.isTextual()) {
                    date.compare(rel + " item " + i, instant(when.asText()), got.published().map(Instant::toString).orElse(verdict(got)));
                }
            }
        }

        private static String verdict(FeedItem item) {
            return "(none: " + item.dateVerdict().name().toLowerCase(Locale.ROOT) + ")";
        }

        private static String instant(String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().toString();
            } catch (DateTimeParseException e) {
                return s;
            }
        }

        private static String text(String html) {
            return FeedParser.text(html.indexOf('<') >= 0 || html.indexOf('&') >= 0 ? Jsoup.parse(html).text() : html);
        }

        String report() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "agreement with expected outputs (gofeed parser+translator: %d files, feed-rs: %d files):%n", gofeedFiles, feedRsFiles));
            for (Field f : List.of(title, link, date)) {
                b.append(String.format(Locale.ROOT, "  %-24s %4d / %4d  = %.3f%n", f.name, f.agreed, f.compared, f.share()));
                f.disagreements.stream().limit(12).forEach(d -> b.append("      ").append(d).append('\n'));
            }
            return b.toString();
        }
    }

    static final class Field {
        final String name;
        int compared;
        int agreed;
        final List<String> disagreements = new ArrayList<>();

        Field(String name) {
            this.name = name;
        }

        void compare(String where, String expected, String actual) {
            compared++;
            if (expected.equals(actual)) {
                agreed++;
            } else {
                disagreements.add(where + ": expected '" + abbreviate(expected) + "', got '" + abbreviate(actual) + "'");
            }
        }

        double share() {
            return compared == 0 ? 1 : (double) agreed / compared;
        }

        private static String abbreviate(String s) {
            return s.length() > 70 ? s.substring(0, 70) + "…" : s;
        }
    }
}
