package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.extract.ArticleExtractor;
import dev.vigil.ingest.extract.ExtractionException;
import dev.vigil.ingest.feed.FeedParser;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.ingest.fetch.FetchException;
import dev.vigil.ingest.fetch.FetchRequest;
import dev.vigil.ingest.fetch.FetchSettings;
import dev.vigil.ingest.fetch.Fetcher;
import dev.vigil.model.net.HostResolver;
import dev.vigil.model.Article;
import dev.vigil.model.FeedId;
import dev.vigil.model.IngestError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The load harness: a measurement, not a timed test. It asserts correctness only; its name keeps
 * it out of {@code mvn verify}, and it is skipped unless {@code -Dvigil.load=true}. See
 * BENCHMARKS.md for the command and the figures.
 *
 * <p>Poll cycle: {@code vigil.load.feeds} feeds (10,000) spread over 100 host names that the
 * resolver maps to a loopback fixture server; on each cycle every feed is polled once with a
 * conditional GET; 95% answer 304, 5% list one new item whose page is fetched and extracted. The
 * same command first times a baseline cycle of bare conditional GETs through the same fetcher,
 * so the figures can be read as a ratio on a shared, noisy machine.
 *
 * <p>Extraction: the dev corpus pages, extracted single-threaded for {@code vigil.load.rounds}
 * rounds (pages/s on one core), against a baseline of Jsoup parsing alone.
 */
@Tag("load")
class LoadHarness {

    static final int HOSTS = 100;
    static final String PAGE = FeedPollerTest.PAGE;

    static void assumeEnabled() {
        Assumptions.assumeTrue(Boolean.getBoolean("vigil.load"), "the load harness runs only with -Dvigil.load=true (see BENCHMARKS.md)");
    }

    /** The fixture: feed i answers 304 to its current ETag, else its current document; every (20th+cycle) feed changes per cycle. */
    static final class Outlets implements AutoCloseable {
        final HttpServer server;
        final int feeds;
        final AtomicReferenceArray<String> versions;
        final AtomicLong served = new AtomicLong();
        final AtomicLong notModified = new AtomicLong();

        Outlets(int feeds) throws IOException {
            this.feeds = feeds;
            this.versions = new AtomicReferenceArray<>(feeds);
            for (int i = 0; i < feeds; i++) {
                versions.set(i, "0");
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            server.setExecutor(Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "load-fixture");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                served.incrementAndGet();
                byte[] body;
                if (path.startsWith("/f/")) {
                    int i = Integer.parseInt(path.substring(3, path.length() - 4));
                    String version = versions.get(i);
                    String etag = "\"" + version + "\"";
                    ex.getResponseHeaders().set("ETag", etag);
                    if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                        notModified.incrementAndGet();
                        ex.sendResponseHeaders(304, -1);
                        ex.close();
                        return;
                    }
                    body = feed(i, Integer.parseInt(version)).getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/rss+xml");
                } else if (path.startsWith("/p/")) {
                    body = PAGE.getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                } else {
                    ex.sendResponseHeaders(404, -1);
                    ex.close();
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String host(int i) {
            return "h" + (i % HOSTS) + ".load.test";
        }

        URI feedUri(int i) {
            return URI.create("http://" + host(i) + ":" + server.getAddress().getPort() + "/f/" + i + ".rss");
        }

        /** Ten items, the newest {@code version}: a new version lists one new item. */
        String feed(int i, int version) {
            StringBuilder b = new StringBuilder("<rss version=\"2.0\"><channel><title>Outlet ").append(i).append("</title><link>http://")
                    .append(host(i)).append("/</link><description>d</description>");
            for (int v = version; v > version - 10; v--) {
                b.append("<item><guid>").append(i).append('-').append(v).append("</guid><title>Story ").append(v).append(" of ").append(i)
                        .append("</title><link>/p/").append(i).append('-').append(v).append("</link><description>Summary.</description></item>");
            }
            return b.append("</channel></rss>").toString();
        }

        /** Moves one feed in {@code every} on to a new version. */
        void publish(int cycle, int every) {
            for (int i = cycle % every; i < feeds; i += every) {
                versions.set(i, String.valueOf(Integer.parseInt(versions.get(i)) + 1));
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void pollCycleOfTenThousandFeeds() throws Exception {
        assumeEnabled();
        int feeds = Integer.getInteger("vigil.load.feeds", 10_000);
        int cycles = Integer.getInteger("vigil.load.cycles", 3);
        int threads = Integer.getInteger("vigil.load.threads", 16);
        StringBuilder report = new StringBuilder();
        try (Outlets outlets = new Outlets(feeds)) {
            HostResolver loopback = host -> List.of(InetAddress.getLoopbackAddress());
            FetchSettings fetch = FetchSettings.defaults().withHostLimits(4, Duration.ZERO);
            EgressPolicy egress = EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.1/32")));
            AtomicInteger published = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            try (Fetcher fetcher = new Fetcher(fetch, egress, loopback)) {
                ArticleSink sink = new ArticleSink() {
                    @Override
                    public List<Refused> publish(List<Article> articles) {
                        published.addAndGet(articles.size());
                        return List.of();
                    }

                    @Override
                    public void error(IngestError error) {
                        errors.incrementAndGet();
                    }
                };
                // backfill 0: a new feed remembers what it lists and publishes only what comes after
                PollContext ctx = new PollContext(fetcher, new FeedParser(Clock.systemUTC()), new ArticleExtractor(), Optional.empty(), sink,
                        new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), new PollPolicy(Duration.ofHours(1), () -> 0.5),
                        1 << 20, 1 << 20, 0);
                List<FeedPoller> pollers = new ArrayList<>(feeds);
                for (int i = 0; i < feeds; i++) {
                    pollers.add(new FeedPoller(new FeedSpec(new FeedId("feed-" + i), outlets.feedUri(i), null, null, Duration.ofMinutes(5)), ctx, Optional.empty()));
                }
                ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "load-poll");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    long first = cycle(pool, pollers);
                    report.append(String.format(Locale.ROOT, "feeds %d, hosts %d, poll threads %d, first cycle (all 200, parse, nothing published): %.1f s%n",
                            feeds, HOSTS, threads, first / 1e9));
                    // the baseline: one conditional GET per feed through the same guarded fetcher, no parsing, no state
                    long baseline = time(pool, feeds, i -> fetcher.get(FetchRequest.of(outlets.feedUri(i), "*/*", 1 << 20)
                            .conditional(Optional.of("\"" + outlets.versions.get(i) + "\""), Optional.empty())));
                    report.append(String.format(Locale.ROOT, "baseline cycle (bare conditional GETs, all 304): %.2f s%n", baseline / 1e9));
                    for (int c = 1; c <= cycles; c++) {
                        outlets.publish(c, 20);
                        int before = published.get();
                        long nm = outlets.notModified.get();
                        long took = cycle(pool, pollers);
                        long heapAfterGc = heapUsedAfterGc();
                        report.append(String.format(Locale.ROOT, "cycle %d: %.2f s (%.2fx baseline), %d published, %d answered 304, heap after GC %d MiB%n",
                                c, took / 1e9, (double) took / baseline, published.get() - before, outlets.notModified.get() - nm, heapAfterGc >> 20));
                        assertThat(published.get() - before).isEqualTo(feeds / 20);
                    }
                } finally {
                    pool.shutdownNow();
                }
                report.append(String.format(Locale.ROOT, "peak heap %d MiB of max %d MiB; errors reported %d%n", peakHeap() >> 20,
                        Runtime.getRuntime().maxMemory() >> 20, errors.get()));
            }
        }
        write("load-poll-report.txt", report);
        assertThat(report.toString()).contains("cycle " + cycles);
    }

    interface Task {
        void run(int i) throws FetchException;
    }

    private static long time(ExecutorService pool, int n, Task task) throws Exception {
        long t0 = System.nanoTime();
        List<Future<?>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            all.add(pool.submit(() -> {
                task.run(k);
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        return System.nanoTime() - t0;
    }

    private static long cycle(ExecutorService pool, List<FeedPoller> pollers) throws Exception {
        return time(pool, pollers.size(), i -> pollers.get(i).poll());
    }

    @Test
    void extractionPagesPerSecondOnOneCore() throws Exception {
        assumeEnabled();
        Path root = Path.of(System.getProperty("vigil.corpora", "../shared/corpora"), "extraction-dev");
        Assumptions.assumeTrue(Files.isDirectory(root), "no extraction corpus at " + root);
        ExtractionSpeed.Result result = ExtractionSpeed.measure(root, Integer.getInteger("vigil.load.rounds", 5));
        write("load-extraction-report.txt", new StringBuilder(result.line()));
        assertThat(result.extracted()).isPositive();
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static void write(String name, StringBuilder report) throws IOException {
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        System.out.print(report);
    }
}
