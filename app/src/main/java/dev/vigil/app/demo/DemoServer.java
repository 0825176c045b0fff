package dev.vigil.app.demo;

import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedOutput;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.app.Replies;
import dev.vigil.ingest.FeedSpec;
import dev.vigil.ingest.IngestSettings;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.model.FeedId;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jsoup.nodes.Entities;

/**
 * Serves the demo scenario on loopback: each outlet's feed (RSS or Atom, written by Rome) lists
 * the stories released so far, newest first, and each story has its own HTML page in the
 * outlet's layout. Stories are released as the scenario clock passes their time; the clock runs
 * {@code speed} times faster than real time from the moment it begins, and each story is dated
 * the real instant it is released, so event time and the wall clock agree and a scoring window
 * of so many scenario hours ({@link #scenarioToReal}) slides past the stories as it would over
 * days of real news.
 */
public final class DemoServer implements AutoCloseable {

    private static final int FEED_SIZE = 20;

    private final DemoScenario scenario;
    private final Clock clock;
    private final double speed;
    /** When the scenario clock began; null until {@link #begin()}. */
    private volatile Instant realStart;
    private final Set<String> polledFeeds = ConcurrentHashMap.newKeySet();
    private final Consumer<DemoScenario.Item> onRelease;
    private final List<DemoScenario.Item> announced = new ArrayList<>();
    private final HttpServer server;

    /**
     * A server whose scenario clock begins now.
     *
     * @param speed     scenario seconds per real second (1800 = one scenario hour every two seconds)
     * @param onRelease told once about each story as it is released, for the demo's narration
     */
    public DemoServer(DemoScenario scenario, double speed, Clock clock, Consumer<DemoScenario.Item> onRelease) throws IOException {
        this(scenario, speed, clock, onRelease, true);
    }

    /**
     * A server whose feeds stay empty until {@link #begin()}: the demo begins the story once its
     * pipeline is ready, so the first stories do not pile up in one poll while it starts.
     */
    public static DemoServer waiting(DemoScenario scenario, double speed, Clock clock, Consumer<DemoScenario.Item> onRelease) throws IOException {
        return new DemoServer(scenario, speed, clock, onRelease, false);
    }

    private DemoServer(DemoScenario scenario, double speed, Clock clock, Consumer<DemoScenario.Item> onRelease, boolean beginNow) throws IOException {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed: expected > 0, found " + speed);
        }
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.speed = speed;
        this.onRelease = Objects.requireNonNull(onRelease, "onRelease");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "vigil-demo-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
        if (beginNow) {
            begin();
        }
    }

    /** Starts the scenario clock at its hour 0; later calls change nothing. */
    public synchronized void begin() {
        if (realStart == null) {
            realStart = clock.instant();
        }
    }

    /** Whether ingest has read every outlet's feed at least once. */
    public boolean everyFeedPolled() {
        return polledFeeds.containsAll(scenario.outlets().keySet());
    }

    /** A span of the scenario clock in real time: {@code 24h} at one scenario hour every 2 s is 48 s. */
    public Duration scenarioToReal(Duration scenarioTime) {
        return Duration.ofMillis(Math.round(scenarioTime.toMillis() / speed));
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** One feed spec per outlet, polled every {@code interval}. */
    public List<FeedSpec> feeds(Duration interval) {
        List<FeedSpec> out = new ArrayList<>();
        scenario.outlets().values().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(o -> out.add(
                new FeedSpec(new FeedId("demo-" + o.id()), baseUri().resolve("/" + o.id() + "/feed." + ext(o)), o.name(), o.language(), interval)));
        return out;
    }

    /**
     * Ingest settings for the demo's feeds: the demo's outlets live on loopback, which the egress
     * guard refuses unless allowed, so the demo allows exactly 127.0.0.1; every story is published
     * (no backfill cap) and feeds are polled every second.
     */
    public static IngestSettings ingestSettings(String bootstrapServers, List<FeedSpec> feeds) {
        return ingestSettings(KafkaConnection.to(bootstrapServers), feeds);
    }

    /** {@link #ingestSettings(String, List)} on any cluster. */
    public static IngestSettings ingestSettings(KafkaConnection kafka, List<FeedSpec> feeds) {
        return IngestSettings.of(kafka, feeds)
                .withEgress(EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.1/32"))))
                .withFetch(FetchSettings.defaults().withDeadline(Duration.ofSeconds(5)).withHostLimits(8, Duration.ZERO))
                .withThreads(4)
                .withMaxBytes(1 << 20, 1 << 20)
                .withBackfill(1000)
                .withGroup("vigil-demo-ingest-" + UUID.randomUUID(), Duration.ofSeconds(10));
    }

    /** A story's date: the real instant the scenario clock reaches it (null before {@link #begin()}). */
    public Instant published(DemoScenario.Item item) {
        Instant start = realStart;
        return start == null ? null : start.plus(scenarioToReal(item.at()));
    }

    /** Whether the scenario clock has passed the story. */
    public boolean released(DemoScenario.Item item) {
        Instant start = realStart;
        return start != null && !clock.instant().isBefore(start.plus(scenarioToReal(item.at())));
    }

    /** Announces stories released since the last call; the demo calls this on a timer. */
    public synchronized void announceReleases() {
        for (DemoScenario.Item item : scenario.items()) {
            if (released(item) && !announced.contains(item)) {
                announced.add(item);
                onRelease.accept(item);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (parts.length != 3 || !scenario.outlets().containsKey(parts[1])) {
                Replies.send(exchange, 404, "text/plain", "not found");
                return;
            }
            DemoScenario.Outlet outlet = scenario.outlets().get(parts[1]);
            if (parts[2].equals("feed." + ext(outlet))) {
                polledFeeds.add(outlet.id());
                Replies.send(exchange, 200, contentType(outlet) + "; charset=utf-8", feed(outlet));
                return;
            }
            for (DemoScenario.Item item : scenario.items()) {
                if (item.outlet().equals(outlet.id()) && parts[2].equals(item.slug() + ".html") && released(item) && !item.pageMissing()) {
                    Replies.send(exchange, 200, "text/html; charset=utf-8", DemoPages.render(outlet, item, published(item)));
                    return;
                }
            }
            Replies.send(exchange, 404, "text/html", "<html><body><h1>Page not found</h1></body></html>");
        }
    }

    private String feed(DemoScenario.Outlet outlet) {
        SyndFeed feed = new SyndFeedImpl();
        feed.setFeedType(outlet.format().equals("atom") ? "atom_1.0" : "rss_2.0");
        feed.setTitle(outlet.name());
        feed.setLink(baseUri().resolve("/" + outlet.id() + "/").toString());
        feed.setUri(baseUri().resolve("/" + outlet.id() + "/").toString());
        feed.setDescription("Latest stories from " + outlet.name() + " (Vigil demo scenario; fictional)");
        feed.setLanguage(outlet.language());
        feed.setPublishedDate(Date.from(clock.instant()));
        List<SyndEntry> entries = new ArrayList<>();
        List<DemoScenario.Item> items = scenario.items().stream()
                .filter(i -> i.outlet().equals(outlet.id()) && released(i)).toList();
        for (int i = items.size() - 1; i >= 0 && entries.size() < FEED_SIZE; i--) {
            entries.add(entry(items.get(i)));
        }
        feed.setEntries(entries);
        try {
            return new SyndFeedOutput().outputString(feed);
        } catch (FeedException e) {
            throw new IllegalStateException("cannot write the " + outlet.id() + " demo feed: " + e.getMessage(), e);
        }
    }

    private SyndEntry entry(DemoScenario.Item item) {
        SyndEntry entry = new SyndEntryImpl();
        String link = baseUri().resolve("/" + item.outlet() + "/" + item.slug() + ".html").toString();
        entry.setTitle(item.title());
        entry.setLink(link);
        entry.setUri(link);
        Date published = Date.from(published(item));
        entry.setPublishedDate(published);
        entry.setUpdatedDate(published);
        SyndContentImpl description = new SyndContentImpl();
        description.setType("text/plain");
        description.setValue(item.summary());
        entry.setDescription(description);
        return entry;
    }

    private static String ext(DemoScenario.Outlet outlet) {
        return outlet.format().equals("atom") ? "atom" : "rss";
    }

    private static String contentType(DemoScenario.Outlet outlet) {
        return outlet.format().equals("atom") ? "application/atom+xml" : "application/rss+xml";
    }


    @Override
    public void close() {
        server.stop(0);
    }

    /** The HTML of story pages, in three layouts so extraction meets more than one page structure. */
    static final class DemoPages {

        private DemoPages() {
        }

        static String render(DemoScenario.Outlet outlet, DemoScenario.Item item, Instant published) {
            String title = Entities.escape(item.title());
            String when = DateTimeFormatter.ISO_INSTANT.format(published);
            StringBuilder body = new StringBuilder();
            for (String p : item.paragraphs()) {
                body.append("<p>").append(Entities.escape(p)).append("</p>\n");
            }
            String head = "<!doctype html><html lang=\"" + outlet.language() + "\"><head><meta charset=\"utf-8\">"
                    + "<title>" + title + " | " + Entities.escape(outlet.name()) + "</title>"
                    + "<meta property=\"og:title\" content=\"" + title + "\">"
                    + "<meta property=\"article:published_time\" content=\"" + when + "\">"
                    + "<script>window.analytics = {track: function () {}};</script></head><body>";
            String nav = "<header><a href=\"/\">" + Entities.escape(outlet.name()) + "</a><nav><ul><li><a href=\"/world\">World</a></li>"
                    + "<li><a href=\"/business\">Business</a></li><li><a href=\"/sport\">Sport</a></li></ul></nav></header>";
            String related = "<aside><h3>Most read</h3><ul><li><a href=\"/a\">Ten gadgets for the holidays</a></li>"
                    + "<li><a href=\"/b\">Storm warning for the weekend</a></li></ul></aside>";
            String footer = "<footer><p>&copy; 2025 " + Entities.escape(outlet.name()) + ". A fictional outlet of the Vigil demo.</p>"
                    + "<form><input name=\"email\"><button>Subscribe to our newsletter</button></form></footer></body></html>";
            String main;
            switch (outlet.layout()) {
                case "story-body":
                    main = "<div class=\"page\"><div class=\"headline\"><h1>" + title + "</h1><span class=\"byline\">By staff writers</span></div>"
                            + "<div class=\"story-body\">" + body + "</div><div class=\"share\"><a href=\"#\">Share</a></div>" + related + "</div>";
                    break;
                case "itemprop":
                    main = "<main><h1 itemprop=\"headline\">" + title + "</h1><time datetime=\"" + when + "\">" + when + "</time>"
                            + "<div itemprop=\"articleBody\">" + body + "</div>" + related + "</main>";
                    break;
                default:
                    main = "<main><article><h1>" + title + "</h1><p class=\"byline\">By staff</p>" + body + "</article>" + related + "</main>";
            }
            return head + nav + main + footer;
        }
    }
}
