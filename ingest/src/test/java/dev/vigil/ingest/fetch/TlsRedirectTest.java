package dev.vigil.ingest.fetch;

import dev.vigil.model.net.EgressPolicy;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.HostResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.ingest.FixtureServer;
import dev.vigil.model.IngestError.Reason;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An https feed that redirects to plain http is refused: the downgrade would expose the request. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsRedirectTest {

    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.2, made with the JDK's keytool. */
    private KeyStore keyStore() throws Exception {
        Path ks = dir.resolve("fixture.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "fixture",
                "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.2", "-ext", "SAN=ip:127.0.0.2", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    @Test
    void anHttpsFeedMayNotRedirectToPlainHttp() throws Exception {
        KeyStore store = keyStore();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        try (FixtureServer plain = new FixtureServer("127.0.0.2", 0)) {
            plain.route("/feed", 200, "application/rss+xml", "<rss/>");
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
            https.createContext("/ok", ex -> {
                byte[] b = "secure".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            https.createContext("/downgrade", ex -> {
                ex.getResponseHeaders().set("Location", plain.uri("/feed").toString());
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
            https.start();
            try (Fetcher fetcher = new Fetcher(FetchSettings.defaults().withDeadline(Duration.ofSeconds(5)),
                    EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.2/32"))), HostResolver.system(), Optional.of(clientTls))) {
                URI base = URI.create("https://127.0.0.2:" + https.getAddress().getPort());
                assertThat(new String(fetcher.get(FetchRequest.of(base.resolve("/ok"), "*/*", 1024)).body(), StandardCharsets.UTF_8)).isEqualTo("secure");
                FetchException e = catchThrowableOfType(FetchException.class, () -> fetcher.get(FetchRequest.of(base.resolve("/downgrade"), "*/*", 1024)));
                assertThat(e.reason()).isEqualTo(Reason.REFUSED);
                assertThat(e.getMessage()).contains("https to http");
            } finally {
                https.stop(0);
            }
            assertThat(plain.requests()).isEmpty();
        }
    }

    @Test
    void anUntrustedCertificateIsAFailureNotASilentAccept() throws Exception {
        KeyStore store = keyStore();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        https.start();
        try (Fetcher fetcher = new Fetcher(FetchSettings.defaults().withDeadline(Duration.ofSeconds(5)),
                EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("127.0.0.2/32"))), HostResolver.system())) {
            FetchException e = catchThrowableOfType(FetchException.class,
                    () -> fetcher.get(FetchRequest.of(URI.create("https://127.0.0.2:" + https.getAddress().getPort() + "/"), "*/*", 1024)));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
        } finally {
            https.stop(0);
        }
    }
}
