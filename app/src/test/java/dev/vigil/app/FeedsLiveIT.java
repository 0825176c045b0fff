package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.FeedCatalogue;
import dev.vigil.ingest.IngestService;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.model.Article;
import dev.vigil.model.FeedDefinition;
import dev.vigil.model.FeedId;
import dev.vigil.model.FeedState;
import dev.vigil.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Feeds managed live, end to end on a real broker: {@code vigil feeds add} puts a checked feed in
 * the catalogue and one of two running ingest instances (the one that owns it) starts polling it
 * without a restart; {@code vigil feeds remove} stops it; adding it back publishes nothing twice;
 * {@code vigil feeds export} and {@code import} carry the catalogue through OPML unchanged.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedsLiveIT {

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static String bootstrap;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        bootstrap = kafka.bootstrapServers();
        TopicAdmin.ensureTopics(bootstrap);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** Outlets a and b, two stories each, counting polls; anything else is 404. */
    static final class Outlets implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicLong> polls = new ConcurrentHashMap<>();

        Outlets() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                String base = base();
                if (path.equals("/a.rss") || path.equals("/b.rss")) {
                    String n = path.substring(1, 2);
                    polls.computeIfAbsent(n, k -> new AtomicLong()).incrementAndGet();
                    Replies.send(ex, 200, "application/rss+xml", "<rss version=\"2.0\"><channel><title>Outlet " + n + "</title><link>" + base
                            + "</link><description>d</description><language>en</language>"
                            + "<item><guid>" + n + "-1</guid><title>Story one of " + n + "</title><link>" + base + "/p/" + n + "-1</link>"
                            + "<description>Summary one.</description><pubDate>Sun, 16 Nov 2025 10:00:00 GMT</pubDate></item>"
                            + "<item><guid>" + n + "-2</guid><title>Story two of " + n + "</title><link>" + base + "/p/" + n + "-2</link>"
                            + "<description>Summary two.</description><pubDate>Sun, 16 Nov 2025 11:00:00 GMT</pubDate></item></channel></rss>");
                } else if (path.startsWith("/p/")) {
                    Replies.send(ex, 200, "text/html", "<html><body><article><p>" + "The story is told at length here, sentence after sentence. ".repeat(8)
                            + "</p></article></body></html>");
                } else if (path.equals("/page.html")) {
                    Replies.send(ex, 200, "text/html", "<html><head><title>A site</title></head><body><p>Not a feed.</p></body></html>");
                } else {
                    Replies.send(ex, 404, "text/plain", "not found");
                }
            });
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        long polls(String outlet) {
            AtomicLong n = polls.get(outlet);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Vigil.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static final Map<IngestService, SimpleMeterRegistry> registries = new ConcurrentHashMap<>();

    /** Catalogue changes of a kind an instance has applied (vigil.ingest.catalogue.changes{change}). */
    static double applied(IngestService s, String change) {
        return registries.get(s).find("vigil.ingest.catalogue.changes").tag("change", change).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    static IngestService ingest(String group) {
        IngestSettings settings = IngestSettings.catalogue(bootstrap)
                .withEgress(EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.1/32"))))
                .withFetch(FetchSettings.defaults().withDeadline(Duration.ofSeconds(5)).withHostLimits(8, Duration.ZERO))
                .withThreads(2)
                .withGroup(group, Duration.ofSeconds(6));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestService s = new IngestService(settings, registry, Clock.systemUTC());
        registries.put(s, registry);
        s.start();
        return s;
    }

    static boolean polledBy(IngestService s, String feed) {
        return s.feedStates().stream().map(FeedState::feed).anyMatch(f -> f.value().equals(feed));
    }

    static List<Article> articlesOf(String outlet) {
        return KafkaProbe.committedValues(bootstrap, Topics.ARTICLES).stream().filter(a -> a.title().endsWith(" of " + outlet)).toList();
    }

    @Test
    @Order(1)   // on an empty catalogue; the OPML test fills it with the bundled list
    void feedsAddedAndRemovedWithTheCliArePolledAndDroppedWithoutARestart() throws Exception {
        String group = "feeds-live-" + UUID.randomUUID();
        try (Outlets outlets = new Outlets(); IngestService one = ingest(group); IngestService two = ingest(group)) {
            Await.until(Duration.ofSeconds(60), "both instances running", () -> one.isRunning() && two.isRunning());

            Run refused = vigil("feeds", "add", outlets.base() + "/page.html", "--allow", "127.0.0.1/32", "--bootstrap-servers", bootstrap);
            assertThat(refused.exit()).as(refused.err()).isEqualTo(Vigil.EXIT_INVALID);
            assertThat(refused.err()).contains("was not added", "is it the feed's address");
            Run missing = vigil("feeds", "add", outlets.base() + "/gone.rss", "--allow", "127.0.0.1/32", "--bootstrap-servers", bootstrap);
            assertThat(missing.exit()).isEqualTo(Vigil.EXIT_INVALID);
            assertThat(missing.err()).contains("was not added: http_status", "404");

            Run added = vigil("feeds", "add", outlets.base() + "/a.rss", "--id", "outlet-a", "--source", "Outlet A", "--region", "world",
                    "--interval", "1s", "--allow", "127.0.0.1/32", "--bootstrap-servers", bootstrap);
            assertThat(added.exit()).as(added.err()).isZero();
            assertThat(added.out()).contains("added outlet-a", "rss_2.0", "2 entries", "ingest will refuse it unless allowed there");
            assertThat(added.err()).contains("ingest refuses 127.0.0.1 (loopback) unless its own egress.allow", "does not travel with the feed");

            Await.until(Duration.ofSeconds(30), "outlet-a's two stories published", () -> articlesOf("a").size() == 2);
            // the owner starts the feed either as a catalogue change or, when a rebalance moved the partition
            // meanwhile, from the catalogue as the partition is assigned: never both, never two instances
            assertThat(applied(one, "added") + applied(two, "added")).as("the add applied by at most one instance, the owner").isLessThanOrEqualTo(1);
            // a rebalance may be moving the partition (then neither polls it for a moment), but two never poll it at once
            Await.until(Duration.ofSeconds(30), "outlet-a polled by exactly one instance, the one that owns it", () -> {
                boolean byOne = polledBy(one, "outlet-a");
                boolean byTwo = polledBy(two, "outlet-a");
                assertThat(byOne && byTwo).as("outlet-a polled by both instances").isFalse();
                return byOne ^ byTwo;
            });
            Await.until(Duration.ofSeconds(30), "outlet-a's state saved",
                    () -> vigil("feeds", "list", "--bootstrap-servers", bootstrap).out().contains("1 feeds: 1 ok, 0 slowed, 0 failing, 0 pending"));
            Run list = vigil("feeds", "list", "--bootstrap-servers", bootstrap);
            assertThat(list.out()).contains("outlet-a", "en", "world", "Outlet A", "1 feeds: 1 ok, 0 slowed, 0 failing, 0 pending");

            Await.until(Duration.ofSeconds(30), "both instances read the catalogue to the same point",
                    () -> one.cataloguedFeeds() > 0 && one.cataloguedFeeds() == two.cataloguedFeeds());
            int catalogued = one.cataloguedFeeds();
            Run removed = vigil("feeds", "remove", "outlet-a", "--bootstrap-servers", bootstrap);
            assertThat(removed.exit()).isZero();
            // applied = read by both and stopped by the owner, a poll in flight included: from then on nothing polls it.
            // The owner counts it as a removal, unless a rebalance was moving the partition just then (it then restarts
            // from the catalogue without it), so the count is at most one, and the polls below are the proof.
            Await.until(Duration.ofSeconds(30), "outlet-a's removal applied",
                    () -> one.cataloguedFeeds() == catalogued - 1 && two.cataloguedFeeds() == catalogued - 1);
            assertThat(applied(one, "removed") + applied(two, "removed")).isLessThanOrEqualTo(1);
            assertThat(polledBy(one, "outlet-a") || polledBy(two, "outlet-a")).isFalse();
            long pollsOfA = outlets.polls("a");
            assertThat(vigil("feeds", "add", outlets.base() + "/b.rss", "--id", "outlet-b", "--interval", "1s", "--allow", "127.0.0.1/32",
                    "--bootstrap-servers", bootstrap).exit()).isZero();
            Await.until(Duration.ofSeconds(30), "outlet-b polled three times", () -> outlets.polls("b") >= 3);
            assertThat(outlets.polls("a")).as("a removed feed is not polled any more").isEqualTo(pollsOfA);

            assertThat(vigil("feeds", "add", outlets.base() + "/a.rss", "--id", "outlet-a", "--interval", "1s", "--allow", "127.0.0.1/32",
                    "--bootstrap-servers", bootstrap).exit()).isZero();
            Await.until(Duration.ofSeconds(30), "outlet-a polled again", () -> outlets.polls("a") > pollsOfA + 1);
            assertThat(articlesOf("a")).as("added back, it resumes from its saved state: nothing published twice").hasSize(2);

            Run unknown = vigil("feeds", "remove", "no-such-feed", "--bootstrap-servers", bootstrap);
            assertThat(unknown.exit()).isEqualTo(Vigil.EXIT_FAILED);
            assertThat(unknown.err()).contains("no feed 'no-such-feed' in the catalogue");
        }
    }

    @Test
    @Order(2)
    void theCatalogueSurvivesAnOpmlRoundTrip() throws Exception {
        Path opml = dir.resolve("catalogue.opml");
        Map<FeedId, FeedDefinition> before;
        try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, Duration.ofSeconds(30))) {
            catalogue.seed(dev.vigil.ingest.FeedsFile.loadBundled().feeds().stream().map(f -> f.toDefinition("bundled", java.time.Instant.now())).toList());
            before = Map.copyOf(catalogue.feeds());
        }
        Run export = vigil("feeds", "export", "--output", opml.toString(), "--bootstrap-servers", bootstrap);
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(Files.readString(opml)).contains("<opml version=\"2.0\">", "El País");

        Run remove = vigil(java.util.stream.Stream.concat(java.util.stream.Stream.of("feeds", "remove"),
                java.util.stream.Stream.concat(before.keySet().stream().map(FeedId::value), java.util.stream.Stream.of("--bootstrap-servers", bootstrap)))
                .toArray(String[]::new));
        assertThat(remove.exit()).isZero();
        Run dry = vigil("feeds", "import", opml.toString(), "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains(before.size() + " feeds in " + opml + " (dry run: nothing written)");

        Run imported = vigil("feeds", "import", opml.toString(), "--bootstrap-servers", bootstrap);
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported " + before.size() + " feeds");
        try (FeedCatalogue catalogue = FeedCatalogue.open(bootstrap, Duration.ofSeconds(30))) {
            assertThat(catalogue.feeds().keySet()).isEqualTo(before.keySet());
            assertThat(catalogue.feeds().values()).allSatisfy(f -> assertThat(f.sameFeed(before.get(f.id()))).as(f.id().value()).isTrue());
            assertThat(catalogue.feeds().values().stream().map(FeedDefinition::origin).collect(Collectors.toSet())).containsExactly("opml");
        }
        Run again = vigil("feeds", "import", opml.toString(), "--bootstrap-servers", bootstrap);
        assertThat(again.out()).contains("imported 0 feeds", before.size() + " already in the catalogue");
    }
}
