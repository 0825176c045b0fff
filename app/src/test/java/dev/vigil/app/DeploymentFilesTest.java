package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The deployment files in the repository are valid for the tools that read them. */
class DeploymentFilesTest {

    static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));

    @Test
    void composeFileIsValid() throws IOException, InterruptedException {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it): compose file not checked");
        Process p = new ProcessBuilder("docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
    }

    @Test
    void alertingRulesPassPromtool() throws IOException, InterruptedException {
        assumeTrue(onPath("promtool"), "promtool is not installed (.ci/run installs the Debian package prometheus): alerting rules not checked");
        Process p = new ProcessBuilder("promtool", "check", "rules", ROOT.resolve("deploy/prometheus/alerts.yml").toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void prometheusConfigPassesPromtool() throws IOException, InterruptedException {
        assumeTrue(onPath("promtool"), "promtool is not installed (.ci/run installs the Debian package prometheus): Prometheus config not checked");
        // the config names the rules file by its path inside the container; check a copy that points at the repository's
        Path config = Files.createTempFile("prometheus", ".yml");
        Files.writeString(config, Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"))
                .replace("/etc/prometheus/alerts.yml", ROOT.resolve("deploy/prometheus/alerts.yml").toAbsolutePath().toString()));
        Process p = new ProcessBuilder("promtool", "check", "config", config.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
    }

    @Test
    void securedComposeProfileIsValid() throws IOException, InterruptedException {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it): compose file not checked");
        Process p = new ProcessBuilder("docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(), "--profile", "secured", "config")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        // the secured services connect with the mounted client properties, to the broker that takes only SASL
        assertThat(output).contains("VIGIL_KAFKA_CONFIG: /etc/vigil/kafka/client.properties", "VIGIL_BOOTSTRAP_SERVERS: kafka-secured:9092",
                "SECURED:SASL_PLAINTEXT");
        assertThat(Files.readString(ROOT.resolve("deploy/kafka-secured/client.properties"))).contains("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN");
    }

    @Test
    void alertmanagerConfigPassesAmtool() throws IOException, InterruptedException {
        assumeTrue(onPath("amtool"), "amtool is not installed (.ci/run installs the Debian package prometheus-alertmanager): Alertmanager config not checked");
        Process p = new ProcessBuilder("amtool", "check-config", ROOT.resolve("deploy/alertmanager/alertmanager.yml").toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void composeRunsEveryServiceAndTheObservabilityStack() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(compose).contains("  kafka:", "  ingest:", "  streams:", "  alerts:", "  prometheus:", "  grafana:", "  alertmanager:", "  kafka-secured:");
        // Prometheus sends what Vigil's rules fire to the Alertmanager of the compose file
        assertThat(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"))).contains("alertmanagers:", "alertmanager:9093");
        assertThat(ROOT.resolve("Dockerfile")).exists();
        assertThat(ROOT.resolve("deploy/prometheus/prometheus.yml")).exists();
        assertThat(ROOT.resolve("deploy/grafana/dashboards/vigil-overview.json")).exists();
    }

    @Test
    void grafanaDashboardIsScopedByVariablesAndShowsWhatNeedsAnOperator() throws IOException {
        JsonNode dashboard = Json.mapper().readTree(ROOT.resolve("deploy/grafana/dashboards/vigil-overview.json").toFile());
        List<String> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText() + ":" + v.path("type").asText()));
        assertThat(variables).contains("datasource:datasource", "instance:query", "topic:query");
        // no fixed datasource uid anywhere: every panel and query uses the variable
        List<String> uids = new ArrayList<>();
        dashboard.findParents("uid").forEach(n -> {
            if (n.path("type").asText().equals("prometheus")) {
                uids.add(n.path("uid").asText());
            }
        });
        assertThat(uids).isNotEmpty().allMatch("${datasource}"::equals);
        List<String> exprs = new ArrayList<>();
        List<JsonNode> feedsOverrides = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            if (panel.path("title").asText().equals("Feeds")) {
                panel.path("fieldConfig").path("overrides").forEach(feedsOverrides::add);
            }
        }
        assertThat(exprs).isNotEmpty().allMatch(e -> e.contains("instance=~\"$instance\""), "every query is scoped to $instance");
        assertThat(exprs).filteredOn(e -> e.contains("vigil_topic_score") || e.contains("vigil_topic_level")).isNotEmpty()
                .allMatch(e -> e.contains("topic=~\"$topic\""), "topic panels are scoped to $topic");
        assertThat(String.join("\n", exprs)).contains("vigil_streams_dead_letters_total", "vigil_alerts_malformed_total",
                "outcome=~\"dead_lettered|receiver_disabled\"", "vigil_alerts_receiver_disabled", "vigil_alerts_silences_active");
        // a failing feed turns the feed-health stat red
        assertThat(feedsOverrides).anySatisfy(o -> {
            assertThat(o.path("matcher").path("options").asText()).isEqualTo("failing");
            assertThat(o.findValues("color").stream().map(JsonNode::asText)).contains("red");
        });
        List<String> annotations = new ArrayList<>();
        dashboard.path("annotations").path("list").forEach(a -> annotations.add(a.path("expr").asText()));
        assertThat(annotations).anyMatch(e -> e.contains("vigil_alerts_raised_total"));
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
