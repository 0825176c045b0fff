package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.model.Alert;
import dev.vigil.model.Article;
import dev.vigil.model.ArticleId;
import dev.vigil.model.FeedId;
import dev.vigil.model.Topics;
import dev.vigil.model.kafka.KafkaConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Vigil on a secured cluster: one real broker (in this JVM) with a SASL_SSL, a SASL_PLAINTEXT and
 * a mutual-TLS listener, {@code StandardAuthorizer} and ACLs, its certificates made here with the
 * JDK's keytool and its SCRAM users through the Admin API. Its PLAINTEXT listener is the cluster
 * administrator (the super user) that sets all that up; Vigil never uses it. Each user gets
 * exactly the ACLs {@link ClusterAccess} lists (what docs/deploying.md tells operators), so these
 * tests also prove that list is enough.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SecureKafkaIT {

    static final String STORE_PASSWORD = "store-pass-4711";
    static final String SCRAM_PASSWORD = "scram-pass-0815";
    static final String PLAIN_PASSWORD = "plain-pass-2342";
    static final String MTLS_PRINCIPAL = "User:CN=vigil-mtls";

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static int saslSsl;
    static int saslPlaintext;
    static int ssl;
    static Path clientTrust;
    static Path clientKeys;

    private static final AtomicInteger RUNS = new AtomicInteger();

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        certificates();
        saslSsl = EmbeddedKafka.freePort();
        saslPlaintext = EmbeddedKafka.freePort();
        ssl = EmbeddedKafka.freePort();
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required user_vigil-plain=\"" + PLAIN_PASSWORD + "\";";
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0,
                List.of("SASL_SSL://127.0.0.1:" + saslSsl, "SASL_PLAINTEXT://127.0.0.1:" + saslPlaintext, "SSL://127.0.0.1:" + ssl),
                Map.ofEntries(
                        Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN"),
                        Map.entry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scram),
                        Map.entry("listener.name.sasl_ssl.plain.sasl.jaas.config", plain),
                        Map.entry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram),
                        Map.entry("listener.name.sasl_plaintext.plain.sasl.jaas.config", plain),
                        Map.entry("listener.name.ssl.ssl.client.auth", "required"),
                        Map.entry("ssl.keystore.type", "PKCS12"),
                        Map.entry("ssl.keystore.location", dir.resolve("broker.p12").toString()),
                        Map.entry("ssl.keystore.password", STORE_PASSWORD),
                        Map.entry("ssl.key.password", STORE_PASSWORD),
                        Map.entry("ssl.truststore.type", "PKCS12"),
                        Map.entry("ssl.truststore.location", dir.resolve("broker-trust.p12").toString()),
                        Map.entry("ssl.truststore.password", STORE_PASSWORD),
                        Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                        // the PLAINTEXT listener (broker, controller and this test's administration) is anonymous
                        Map.entry("super.users", "User:ANONYMOUS")));
        TopicAdmin.ensureTopics(kafka.bootstrapServers());
        try (Admin admin = Admin.create(KafkaConnection.to(kafka.bootstrapServers()).admin())) {
            admin.alterUserScramCredentials(List.of(scramUser("vigil", SCRAM_PASSWORD), scramUser("vigil-nowrite", SCRAM_PASSWORD),
                    scramUser("vigil-nogroup", SCRAM_PASSWORD))).all()
                    .get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            for (ClusterAccess.Service s : ClusterAccess.Service.values()) {
                acls.addAll(ClusterAccess.acls(s, "User:vigil", ClusterAccess.DEFAULT_ID_PREFIX, ""));
                acls.addAll(ClusterAccess.acls(s, MTLS_PRINCIPAL, "vigil-mtls", ""));
                // everything but writing the alerts
                ClusterAccess.acls(s, "User:vigil-nowrite", ClusterAccess.DEFAULT_ID_PREFIX, "").stream()
                        .filter(b -> !(b.pattern().name().equals(Topics.ALERTS.name()) && b.entry().operation() == AclOperation.WRITE))
                        .forEach(acls::add);
            }
            acls.addAll(ClusterAccess.acls(ClusterAccess.Service.INGEST, "User:vigil-plain", ClusterAccess.DEFAULT_ID_PREFIX, ""));
            // the alerts service's topics, but not its consumer group
            ClusterAccess.acls(ClusterAccess.Service.ALERTS, "User:vigil-nogroup", ClusterAccess.DEFAULT_ID_PREFIX, "").stream()
                    .filter(b -> b.pattern().resourceType() != org.apache.kafka.common.resource.ResourceType.GROUP).forEach(acls::add);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
        // users and ACLs reach the broker through the metadata log: wait until the broker answers with them
        KafkaConnection scramUser = KafkaConnection.to("127.0.0.1:" + saslSsl).withProperties(scram("vigil", SCRAM_PASSWORD));
        Await.until(Duration.ofSeconds(60), "the SCRAM user and its ACLs on the broker", () -> {
            try (Admin admin = Admin.create(scramUser.admin())) {
                return admin.describeTopics(List.of(Topics.ALERTS.name()), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                        .allTopicNames().get(5, TimeUnit.SECONDS).get(Topics.ALERTS.name()).authorizedOperations().contains(AclOperation.WRITE);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void runOverSaslSslWithScramReachesReadyAndAlerts() throws Exception {
        Path config = properties("scram.properties", scram("vigil", SCRAM_PASSWORD));
        List<String> logs = pipeline("scram", "127.0.0.1:" + saslSsl, config, List.of());
        assertThat(String.join("\n", logs)).contains("as user vigil (SCRAM-SHA-512)").doesNotContain(SCRAM_PASSWORD, STORE_PASSWORD);
    }

    @Test
    void runOverMutualTlsReachesReadyAndAlerts() throws Exception {
        Map<String, String> p = new java.util.LinkedHashMap<>(trust());
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", clientKeys.toString());
        p.put("ssl.keystore.password", STORE_PASSWORD);
        p.put("ssl.key.password", STORE_PASSWORD);
        // its own group and application ids (and ACLs for those only): a second deployment on the same cluster
        List<String> logs = pipeline("mtls", "127.0.0.1:" + ssl, properties("mtls.properties", p), List.of("--id-prefix", "vigil-mtls"));
        assertThat(String.join("\n", logs)).contains("as the TLS client certificate in " + clientKeys).doesNotContain(STORE_PASSWORD);
    }

    @Test
    void saslPlaintextWithPlainReadsTheCatalogue() throws IOException {
        Map<String, String> p = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"vigil-plain\" password=\"" + PLAIN_PASSWORD + "\";");
        Path config = properties("plain.properties", p);
        CliRun r = CliRun.vigil(Map.of("VIGIL_KAFKA_CONFIG", config.toString()), "feeds", "list", "--bootstrap-servers", "127.0.0.1:" + saslPlaintext);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).doesNotContain(PLAIN_PASSWORD);
    }

    @Test
    void aWrongPasswordFailsAtOnceNamingAuthenticationAndTheUser() throws IOException {
        Path config = properties("wrong.properties", scram("vigil", "not-the-password-99"));
        Instant started = Instant.now();
        CliRun r = CliRun.vigil(Map.of(), "run", "--bootstrap-servers", "127.0.0.1:" + saslSsl, "--kafka-config", config.toString(),
                "--data-dir", dir.resolve("wrong").toString(), "--http-port", "-1", "--feeds", feeds().toString());
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_FAILED);
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofMinutes(1));
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("vigil: Kafka at 127.0.0.1:" + saslSsl + ": SASL authentication failed for user vigil (SCRAM-SHA-512)");
        assertThat(r.err()).doesNotContain("not-the-password-99", "Exception", "\tat ");
    }

    @Test
    void aUserWhoMayNotWriteAlertsIsStoppedNamingTheTopic() throws IOException {
        Path config = properties("nowrite.properties", scram("vigil-nowrite", SCRAM_PASSWORD));
        Instant started = Instant.now();
        CliRun r = CliRun.vigil(Map.of(), "run", "--bootstrap-servers", "127.0.0.1:" + saslSsl, "--kafka-config", config.toString(),
                "--data-dir", dir.resolve("nowrite").toString(), "--http-port", "-1", "--feeds", feeds().toString());
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_FAILED);
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofMinutes(1));
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains("user vigil-nowrite (SCRAM-SHA-512) is not authorised to write topic vigil.alerts (streams)");
        assertThat(r.err()).doesNotContain(SCRAM_PASSWORD, "\tat ");
    }

    @Test
    void aUserWithoutItsConsumerGroupIsStoppedNamingTheGroup() throws IOException {
        Path config = properties("nogroup.properties", scram("vigil-nogroup", SCRAM_PASSWORD));
        CliRun r = CliRun.vigil(Map.of(), "alerts", "--bootstrap-servers", "127.0.0.1:" + saslSsl, "--kafka-config", config.toString(),
                "--http-port", "-1", "--no-console");
        assertThat(r.exit()).isEqualTo(Vigil.EXIT_FAILED);
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains("user vigil-nogroup (SCRAM-SHA-512) is not authorised to use the consumer group vigil-alerts");
    }

    /**
     * {@code vigil run} against the secured listener until ready, an escalation article written
     * (by the administrator) to vigil.articles, and the alert it raises read back from
     * vigil.alerts. Returns Vigil's log lines.
     */
    private static List<String> pipeline(String topic, String bootstrap, Path kafkaConfig, List<String> more) throws Exception {
        Path rules = Files.writeString(dir.resolve(topic + "-rules.yaml"), """
                topics:
                  %s: {any: [%s]}
                signals:
                  strike: {weight: 10, any: [strike]}
                alerting:
                  window: 24h
                  levels: {elevated: 6, high: 15, critical: 30}
                """.formatted(topic, topic));
        int port = EmbeddedKafka.freePort();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread run = new Thread(() -> {
            CommandLine cli = Vigil.commandLine(Map.of());
            cli.setErr(new PrintWriter(err, true));
            List<String> args = new ArrayList<>(List.of("run", "--bootstrap-servers", bootstrap, "--kafka-config", kafkaConfig.toString(),
                    "--rules", rules.toString(), "--feeds", feeds().toString(), "--data-dir", dir.resolve("run-" + topic).toString(),
                    "--http-port", String.valueOf(port), "--no-console"));
            args.addAll(more);
            exit.set(cli.execute(args.toArray(String[]::new)));
        }, "vigil-run-" + topic);
        run.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            Await.until(Duration.ofSeconds(120), () -> "vigil run ready on :" + port + " (" + err + ")", () -> {
                if (exit.get() >= 0) {
                    throw new AssertionError("vigil run exited with " + exit.get() + ": " + err);
                }
                return status(http, port + "/health/ready") == 200;
            });
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaConnection.to(kafka.bootstrapServers()).producer(),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                Instant now = Instant.now();
                int n = RUNS.incrementAndGet();
                Article a = new Article(Article.SCHEMA_VERSION, new ArticleId("secure-" + topic + "-" + n), new FeedId("outlet"), "Outlet",
                        "https://news.example/" + topic + "/" + n, "Navy strike near " + topic, "A navy strike was reported near " + topic + ".",
                        Article.TextOrigin.EXTRACTED, now, now, "en");
                producer.send(Topics.ARTICLES.record(a.id(), a)).get(30, TimeUnit.SECONDS);
            }
            Await.until(Duration.ofSeconds(90), "an alert for " + topic + " on vigil.alerts", () ->
                    KafkaProbe.committedValues(kafka.bootstrapServers(), Topics.ALERTS).stream().map(Alert::data).anyMatch(d -> d.topic().value().equals(topic)));
            String metrics = body(http, port + "/metrics");
            assertThat(metrics).contains("kafka_").doesNotContain(SCRAM_PASSWORD, STORE_PASSWORD);
        } finally {
            run.interrupt();
            run.join(TimeUnit.SECONDS.toMillis(60));
            root.detachAppender(logs);
        }
        assertThat(err.toString()).doesNotContain(SCRAM_PASSWORD, STORE_PASSWORD);
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }



    private static int status(HttpClient http, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** No feeds: the articles come from the test, and nothing polls a real address. */
    private static Path feeds() {
        try {
            return Files.writeString(dir.resolve("feeds.yaml"), "feeds: []\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> scram(String user, String password) {
        Map<String, String> p = new java.util.LinkedHashMap<>(trust());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }

    private static Map<String, String> trust() {
        return Map.of("ssl.truststore.type", "PKCS12", "ssl.truststore.location", clientTrust.toString(), "ssl.truststore.password", STORE_PASSWORD);
    }

    private static Path properties(String name, Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder("# Kafka client properties, as an operator would write them\n");
        values.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(dir.resolve(name), text.toString());
    }

    private static UserScramCredentialUpsertion scramUser(String name, String password) {
        return new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password);
    }

    /**
     * A self-signed broker certificate for 127.0.0.1 that clients trust, and a self-signed client
     * certificate (CN=vigil-mtls) that the broker trusts, made with the JDK's keytool.
     */
    private static void certificates() throws IOException, InterruptedException {
        clientTrust = dir.resolve("client-trust.p12");
        clientKeys = dir.resolve("client.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-keystore", dir.resolve("broker.p12").toString(), "-storetype", "PKCS12");
        keytool("-exportcert", "-alias", "broker", "-keystore", dir.resolve("broker.p12").toString(), "-file", dir.resolve("broker.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", dir.resolve("broker.crt").toString(), "-keystore", clientTrust.toString(),
                "-storetype", "PKCS12");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=vigil-mtls", "-validity", "2",
                "-keystore", clientKeys.toString(), "-storetype", "PKCS12");
        keytool("-exportcert", "-alias", "client", "-keystore", clientKeys.toString(), "-file", dir.resolve("client.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", dir.resolve("client.crt").toString(), "-keystore",
                dir.resolve("broker-trust.p12").toString(), "-storetype", "PKCS12");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", STORE_PASSWORD));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", STORE_PASSWORD));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool " + String.join(" ", args) + ": " + output).isZero();
    }
}
