package dev.vigil.ingest.fetch;

import dev.vigil.model.net.EgressPolicy;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.HostResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.ingest.FixtureServer;
import dev.vigil.model.IngestError.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The egress guard and fetch safety against real loopback servers. The fixture listens on
 * 127.0.0.2, the only address these fetchers allow, so every "internal" target (127.0.0.1, the
 * metadata address, mapped IPv6) is refused by the default rules under test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FetcherTest {

    static final long CAP = 1 << 20;
    private FixtureServer server;
    private Fetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        server = new FixtureServer("127.0.0.2", 0);
        fetcher = fetcher(Duration.ofSeconds(3), HostResolver.system());
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
    }

    static Fetcher fetcher(Duration deadline, HostResolver resolver) {
        return new Fetcher(FetchSettings.defaults().withDeadline(deadline).withHostLimits(4, Duration.ZERO),
                EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.2/32"))), resolver);
    }

    private FetchException failure(URI uri) {
        return catchThrowableOfType(FetchException.class, () -> fetcher.get(FetchRequest.of(uri, "*/*", CAP)));
    }

    @Test
    void fetchesFromAnAllowedAddressWithAnHonestUserAgent() throws Exception {
        List<String> agents = new ArrayList<>();
        server.route("/ok", ex -> {
            agents.add(ex.getRequestHeaders().getFirst("User-Agent"));
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            ex.getResponseHeaders().set("Cache-Control", "public, max-age=300");
            byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        FetchResult r = fetcher.get(FetchRequest.of(server.uri("/ok"), "*/*", CAP));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(r.etag()).contains("\"v1\"");
        assertThat(r.freshFor()).contains(Duration.ofMinutes(5));
        assertThat(agents).singleElement().asString().startsWith("Vigil/");
    }

    @Test
    void conditionalGetGetsNotModified() throws Exception {
        server.route("/feed", ex -> {
            boolean match = "\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"));
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            ex.sendResponseHeaders(match ? 304 : 200, match ? -1 : 2);
            if (!match) {
                ex.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            }
            ex.close();
        });
        FetchRequest first = FetchRequest.of(server.uri("/feed"), "*/*", CAP);
        FetchResult r1 = fetcher.get(first);
        FetchResult r2 = fetcher.get(first.conditional(r1.etag(), r1.lastModified()));
        assertThat(r1.notModified()).isFalse();
        assertThat(r2.notModified()).isTrue();
        assertThat(r2.body()).isEmpty();
    }

    @Test
    void refusesLoopbackPrivateAndMetadataAddressesByDefault() {
        for (String target : List.of("http://127.0.0.1:1/", "http://10.0.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
                "http://100.64.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[fd00::1]/",
                "http://[fe80::1]/", "http://0.0.0.0/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/",
                "http://[::ffff:0:169.254.169.254]/", "http://[::ffff:0:7f00:1]/", "http://[64:ff9b:1::a9fe:a9fe]/", "http://[2001:2::1]/",
                "http://192.31.196.1/", "http://[3fff::1]/")) {
            FetchException e = failure(URI.create(target));
            assertThat(e).as(target).isNotNull();
            assertThat(e.reason()).as(target).isEqualTo(Reason.REFUSED);
        }
    }

    @Test
    void refusesSchemesOtherThanHttp() {
        assertThat(failure(URI.create("file:///etc/passwd")).reason()).isEqualTo(Reason.REFUSED);
        assertThat(failure(URI.create("ftp://example.org/feed.xml")).reason()).isEqualTo(Reason.REFUSED);
        assertThat(failure(URI.create("gopher://127.0.0.2:70/")).reason()).isEqualTo(Reason.REFUSED);
    }

    @Test
    void reChecksEveryRedirect() throws IOException {
        try (FixtureServer secret = new FixtureServer("127.0.0.1", 0)) {
            secret.route("/admin", 200, "text/plain", "secret");
            server.redirect("/to-loopback", 302, secret.uri("/admin").toString())
                    .redirect("/to-metadata", 301, "http://169.254.169.254/latest/meta-data/")
                    .redirect("/to-mapped", 307, "http://[::ffff:127.0.0.1]:" + secret.port() + "/admin");
            for (String path : List.of("/to-loopback", "/to-metadata", "/to-mapped")) {
                FetchException e = failure(server.uri(path));
                assertThat(e.reason()).as(path).isEqualTo(Reason.REFUSED);
                assertThat(e.getMessage()).as(path).contains("refused");
            }
            assertThat(secret.requests()).isEmpty();
        }
    }

    @Test
    void stopsRedirectLoopsAndLongChains() {
        server.redirect("/a", 302, "/b").redirect("/b", 302, "/a");
        for (int i = 0; i < 7; i++) {
            server.redirect("/chain" + i, 302, "/chain" + (i + 1));
        }
        server.route("/chain7", 200, "text/plain", "end");
        assertThat(failure(server.uri("/a")).reason()).isEqualTo(Reason.REDIRECTS);
        FetchException chain = failure(server.uri("/chain0"));
        assertThat(chain.reason()).isEqualTo(Reason.REDIRECTS);
        assertThat(chain.getMessage()).contains("more than 5 redirects");
        assertThat(server.requestsFor("/chain6")).isZero();
    }

    @Test
    void followsUpToFiveRedirects() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.redirect("/r" + i, 302, "/r" + (i + 1));
        }
        server.route("/r5", 200, "text/plain", "end");
        FetchResult r = fetcher.get(FetchRequest.of(server.uri("/r0"), "*/*", CAP));
        assertThat(r.uri().getPath()).isEqualTo("/r5");
    }

    @Test
    void refusesGzipBombsWithAndWithoutContentLength() throws IOException {
        byte[] bomb = gzipOfZeros(64L << 20);   // 64 MiB of zeros, about 64 KiB compressed
        server.route("/bomb-sized", ex -> {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            ex.sendResponseHeaders(200, bomb.length);
            ex.getResponseBody().write(bomb);
            ex.close();
        }).route("/bomb-chunked", ex -> {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(bomb);
            ex.close();
        });
        for (String path : List.of("/bomb-sized", "/bomb-chunked")) {
            FetchException e = failure(server.uri(path));
            assertThat(e.reason()).as(path).isEqualTo(Reason.TOO_LARGE);
            assertThat(e.getMessage()).as(path).contains("once decompressed");
        }
    }

    @Test
    void decompressesGzipWithinTheCap() throws Exception {
        byte[] body = gzip("<rss/>".repeat(1000).getBytes(StandardCharsets.UTF_8));
        server.route("/gz", ex -> {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        FetchResult r = fetcher.get(FetchRequest.of(server.uri("/gz"), "*/*", CAP));
        assertThat(r.body()).hasSize(6000);
        assertThat(r.wireBytes()).isEqualTo(body.length);
    }

    @Test
    void refusesAnEndlessBody() {
        AtomicInteger served = new AtomicInteger();
        server.route("/endless", ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            OutputStream out = ex.getResponseBody();
            while (served.addAndGet(chunk.length) < (1 << 30)) {
                out.write(chunk);     // until the client hangs up, which throws here
            }
            ex.close();
        });
        FetchException e = failure(server.uri("/endless"));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(served.get()).isLessThan(1 << 30);
    }

    @Test
    void aServerThatDripsIsCutOffByTheDeadline() throws IOException {
        server.route("/drip", ex -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < 60; i++) {
                out.write('x');
                out.flush();
                try {
                    Thread.sleep(1000);   // the fixture's behaviour under test, not the test waiting for work
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            ex.close();
        });
        long started = System.nanoTime();
        FetchException e = failure(server.uri("/drip"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(e.getMessage()).contains("deadline");
        assertThat(tookMs).as("cut off near the 3 s deadline, not after the 60 s drip").isLessThan(20_000);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept());   // accept, then say nothing
                    }
                } catch (IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing a test socket
                        }
                    });
                }
            }, "fixture-silent");
            acceptor.setDaemon(true);
            acceptor.start();
            FetchException e = failure(URI.create("http://127.0.0.2:" + silent.getLocalPort() + "/feed"));
            assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
        }
    }

    @Test
    void connectsToTheAddressItCheckedNotToARebindingAnswer() throws Exception {
        // a name that first answers with an allowed address and with loopback after that
        try (FixtureServer secret = new FixtureServer("127.0.0.1", server.port())) {
            secret.route("/feed", 200, "text/plain", "secret");
            server.route("/feed", 200, "text/plain", "public");
            AtomicInteger lookups = new AtomicInteger();
            HostResolver rebinding = host -> List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.2" : "127.0.0.1"));
            try (Fetcher f = fetcher(Duration.ofSeconds(3), rebinding)) {
                FetchResult r = f.get(FetchRequest.of(URI.create("http://rebind.test:" + server.port() + "/feed"), "*/*", CAP));
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("public");
                assertThat(lookups.get()).isEqualTo(1);
                // and the next connection, which gets the loopback answer, is refused, not made
                FetchException e = catchThrowableOfType(FetchException.class,
                        () -> f.get(FetchRequest.of(URI.create("http://other.rebind.test:" + server.port() + "/feed"), "*/*", CAP)));
                assertThat(e.reason()).isEqualTo(Reason.REFUSED);
            }
            assertThat(secret.requests()).isEmpty();
        }
    }

    @Test
    void refusesANameWhoseAnswersAreAllSpecialPurposeWithoutConnecting() throws Exception {
        // every answer is refused, so the resolver hands the client nothing to connect to
        java.net.Inet6Address translated = (java.net.Inet6Address) InetAddress.getByName("::ffff:0:a9fe:a9fe");
        HostResolver internal = host -> List.of(translated, InetAddress.getByName("64:ff9b:1::a9fe:a9fe"), InetAddress.getByName("192.0.0.170"));
        try (Fetcher f = fetcher(Duration.ofSeconds(3), internal)) {
            FetchException e = catchThrowableOfType(FetchException.class,
                    () -> f.get(FetchRequest.of(URI.create("http://metadata.test/latest/meta-data/"), "*/*", CAP)));
            assertThat(e.reason()).isEqualTo(Reason.REFUSED);
            assertThat(e.getMessage()).contains("metadata.test is ").contains("a metadata address: refused");
        }
    }

    @Test
    void rateLimitedAnswersCarryRetryAfter() {
        server.route("/busy", ex -> {
            ex.getResponseHeaders().set("Retry-After", "120");
            ex.sendResponseHeaders(429, -1);
            ex.close();
        });
        FetchException e = failure(server.uri("/busy"));
        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
    }

    @Test
    void limitsRequestsInFlightPerHost() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        server.route("/slow", ex -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(200);   // the fixture holds each request open a while
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        try (Fetcher twoPerHost = new Fetcher(FetchSettings.defaults().withHostLimits(2, Duration.ZERO),
                EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.2/32"))), HostResolver.system())) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Thread t = new Thread(() -> {
                    try {
                        twoPerHost.get(FetchRequest.of(server.uri("/slow"), "*/*", CAP));
                    } catch (FetchException e) {
                        throw new AssertionError(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertThat(server.requestsFor("/slow")).isEqualTo(6);
        assertThat(peak.get()).isLessThanOrEqualTo(2);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] gzipOfZeros(long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (long n = 0; n < size; n += zeros.length) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }
}
