package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil config check}: one file that points to the others, every problem with its file, line and key. */
class ConfigCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(Map<String, String> env, String... args) {
        CommandLine cli = Vigil.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aValidConfigurationSaysWhereEachSettingComesFrom() throws IOException {
        write("feeds.yaml", "feeds:\n  - {id: herald, url: \"https://herald.example/rss\"}\n");
        write("routing.yaml", "receivers:\n  ops: {type: webhook, url: {env: OPS_URL}}\nroutes:\n  - receivers: [ops]\n");
        write("api-token", "0123456789abcdef0123\n");
        Path config = write("vigil.yaml", """
                kafka:
                  bootstrap-servers: kafka-1:9092
                  streams: {num.stream.threads: 2, sasl.jaas.config: {env: KAFKA_JAAS}}
                http: {port: 8081, api-token: {file: api-token}}
                feeds: feeds.yaml
                routing: routing.yaml
                """);

        int exit = vigil(Map.of("OPS_URL", "https://hooks.example/x", "KAFKA_JAAS", "secret-jaas", "VIGIL_HTTP_PORT", "9000"), "config", "check", config.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("configuration: " + config,
                "kafka.bootstrap-servers  kafka-1:9092  (" + config + ":2:22)",
                "http.port                9000  (env VIGIL_HTTP_PORT)",
                "http.bind                127.0.0.1  (default)",
                "http.api-token           set (file " + dir.resolve("api-token") + ")",
                "kafka.streams            num.stream.threads, sasl.jaas.config",
                "feeds                    " + dir.resolve("feeds.yaml") + "  (" + config + ":5:8): valid, 1 feeds",
                "rules                    (the bundled rule pack): valid",
                "routing                  " + dir.resolve("routing.yaml") + "  (" + config + ":6:10): valid, 1 receivers, 1 routes",
                "valid");
        assertThat(out.toString()).doesNotContain("secret-jaas", "0123456789abcdef");
    }

    @Test
    void everyProblemInEveryFileIsListedWithFileLineAndKey() throws IOException {
        Path feeds = write("feeds.yaml", "feeds:\n  - id: herald\n    url: ftp://herald.example/rss\n");
        Path rules = write("rules.yaml", "topics:\n  t: {any: [a]}\nsignals:\n  s: {weight: lots, any: [b]}\n");
        Path config = write("vigil.yaml", """
                kafka:
                  bootstrap-servers: kafka:9092
                  brokers: 3
                  streams: {sasl.jaas.config: "org.apache.kafka.common.security.plain.PlainLoginModule required password=hunter2;"}
                http: {api-token: s3cret-token-inline}
                feeds: feeds.yaml
                rules: rules.yaml
                routing: missing.yaml
                """);

        int exit = vigil(Map.of("VIGIL_DATA_DIR", "data"), "config", "check", config.toString());

        assertThat(exit).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(
                config + ":3:3: kafka.brokers: unknown key; expected one of bootstrap-servers, create-topics, embedded-port, id-prefix, properties, streams, topic-prefix",
                config + ":4:31: kafka.streams.sasl.jaas.config: expected {env: NAME} or {file: PATH}: secrets are not written in vigil.yaml",
                config + ":5:19: http.api-token: expected {env: NAME} or {file: PATH}: secrets are not written in vigil.yaml",
                config + ":8:10: routing: no such file: " + dir.resolve("missing.yaml"));
        assertThat(err.toString()).doesNotContain("hunter2", "s3cret-token-inline");

        // with vigil.yaml fixed, the files it points to are checked too
        err.getBuffer().setLength(0);
        write("vigil.yaml", "feeds: feeds.yaml\nrules: rules.yaml\n");
        assertThat(vigil(Map.of(), "config", "check", config.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(
                "vigil config check: 2 problems:",
                feeds + ":3:10: feeds[0].url: expected an absolute http(s) URL",
                rules + ":4:15: signals.s.weight: expected a number, found 'lots'");
    }

    @Test
    void aBadEnvironmentVariableIsAProblemToo() {
        assertThat(vigil(Map.of("VIGIL_HTTP_PORT", "80a", "VIGIL_CONFIG", dir.resolve("none.yaml").toString()), "config", "check")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(dir.resolve("none.yaml") + ": cannot read");
        err.getBuffer().setLength(0);
        assertThat(vigil(Map.of("VIGIL_HTTP_PORT", "80a"), "config", "check")).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("environment: VIGIL_HTTP_PORT: expected a port from 0 to 65535 (or -1 for none), found '80a'");
    }

    @Test
    void commandsReadVigilYamlAndTheEnvironmentWins() throws IOException {
        Path rules = write("rules.yaml", "topics:\n  t: {any: [a]}\nsignals:\n  s: {weight: lots, any: [b]}\n");
        Path config = write("vigil.yaml", "rules: rules.yaml\nkafka: {bootstrap-servers: 127.0.0.1:1}\n");
        // streams reads its rules file from vigil.yaml: the broken file stops it before it touches Kafka
        assertThat(vigil(Map.of(), "streams", "--config", config.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(rules + ":4:15: signals.s.weight");
        err.getBuffer().setLength(0);
        Path good = write("good-rules.yaml", "topics:\n  t: {any: [a]}\nsignals:\n  s: {weight: 1, any: [b]}\nalerting: {window: 1h, levels: {elevated: 1, high: 2, critical: 3}}\n");
        assertThat(vigil(Map.of("VIGIL_CONFIG", config.toString(), "VIGIL_RULES", good.toString(), "VIGIL_HTTP_PORT", "x"), "streams"))
                .as("VIGIL_RULES wins over vigil.yaml's rules, so the next problem is the port").isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains("VIGIL_HTTP_PORT").doesNotContain("signals.s.weight");
    }

    @Test
    void kafkaClientPropertiesComeFromVigilYamlAndTheKafkaConfigFileAndSecretsStayHidden() throws IOException {
        write("kafka-jaas", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\" password=\"yaml-secret-pw\";\n");
        Path client = write("client.properties", """
                bootstrap.servers=broker-1:9093,broker-2:9093
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="ops" password="file-secret-pw";
                ssl.truststore.location=/etc/vigil/truststore.p12
                ssl.truststore.password=store-secret-pw
                """);
        Path config = write("vigil.yaml", """
                kafka:
                  properties:
                    security.protocol: SASL_PLAINTEXT
                    sasl.mechanism: PLAIN
                    sasl.jaas.config: {file: kafka-jaas}
                  create-topics: false
                  id-prefix: vigil-staging
                  topic-prefix: staging.
                """);

        assertThat(vigil(Map.of(), "config", "check", config.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains(
                "kafka.bootstrap-servers  (none: run and demo start an embedded broker)",
                "kafka.properties         {sasl.jaas.config=(hidden), sasl.mechanism=PLAIN, security.protocol=SASL_PLAINTEXT}",
                "kafka.create-topics      false  (" + config + ":6:18)",
                "kafka.id-prefix          vigil-staging  (" + config + ":7:14)",
                "kafka.topic-prefix       staging.  (" + config + ":8:17)");

        // the properties file wins key by key, and names the cluster when nothing else does
        out.getBuffer().setLength(0);
        assertThat(vigil(Map.of("VIGIL_KAFKA_CONFIG", client.toString(), "VIGIL_CREATE_TOPICS", "true"), "config", "check", config.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains(
                "kafka.bootstrap-servers  broker-1:9093,broker-2:9093  (bootstrap.servers in the kafka.config file)",
                "kafka.config             " + client + "  (env VIGIL_KAFKA_CONFIG)",
                "kafka.properties         {sasl.jaas.config=(hidden), sasl.mechanism=SCRAM-SHA-512, security.protocol=SASL_SSL, "
                        + "ssl.truststore.location=/etc/vigil/truststore.p12, ssl.truststore.password=(hidden)}",
                "kafka.principal          user ops (SCRAM-SHA-512)",
                "kafka.create-topics      true  (env VIGIL_CREATE_TOPICS)");
        assertThat(out.toString() + err).doesNotContain("secret-pw");
    }

    @Test
    void aKafkaSecretWrittenInVigilYamlIsRefused() throws IOException {
        Path config = write("vigil.yaml", """
                kafka:
                  properties:
                    ssl.keystore.location: /etc/vigil/client.p12
                    ssl.key.password: inline-secret-pw
                    bootstrap.servers: kafka:9092
                """);
        assertThat(vigil(Map.of(), "config", "check", config.toString())).isEqualTo(Vigil.EXIT_INVALID);
        assertThat(err.toString()).contains(
                config + ":4:23: kafka.properties.ssl.key.password: expected {env: NAME} or {file: PATH}: secrets are not written in vigil.yaml",
                config + ":5:24: kafka.properties.bootstrap.servers: write it as kafka.bootstrap-servers");
        assertThat(err.toString()).doesNotContain("inline-secret-pw").doesNotContain("ssl.keystore.location");
    }
}
