package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.model.Level;
import dev.vigil.model.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingFileTest {

    static final String HOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final Map<String, String> ENV = Map.of(
            "VIGIL_OPS_HOOK_URL", "https://hooks.example/vigil?token=abc123",
            "VIGIL_OPS_HOOK_SECRET", HOOK_SECRET,
            "VIGIL_SLACK_URL", "https://hooks.slack.com/services/T0/B0/XYZ",
            "VIGIL_SMTP_PASSWORD", "smtp-pass-42");

    @TempDir
    Path dir;

    @Test
    void theExampleInTheRepositoryIsValid() {
        Path example = Path.of(System.getProperty("vigil.root", ".."), "examples", "routing.yaml");
        Routing routing = RoutingFile.load(example, ENV::get);
        assertThat(routing.receivers()).extracting(r -> r.name().value()).contains("ops-webhook", "team-slack", "oncall-mail", "audit-log");
        assertThat(routing.receivers()).allSatisfy(r -> assertThat(r.toString()).doesNotContain("abc123", "XYZ", "smtp-pass-42", HOOK_SECRET));
    }

    @Test
    void readsReceiversRoutesSilencesRepeatIntervalAndRetry() throws IOException {
        Files.writeString(dir.resolve("next.key"), "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        String yaml = """
                repeatInterval: 2h
                retry: {maxAttempts: 7, initialBackoff: 2s, maxBackoff: 1m, giveUpAfter: 30m}
                receivers:
                  ops:
                    type: webhook
                    url: {env: VIGIL_OPS_HOOK_URL}
                    secrets: [{env: VIGIL_OPS_HOOK_SECRET}, {file: next.key}]
                    timeout: 3s
                    rate: 120/m
                  audit: {type: log}
                routes:
                  - receivers: [audit]
                  - topics: [venezuela]
                    levels: [high, critical]
                    receivers: [ops]
                silences:
                  - {topic: venezuela, level: elevated, until: 2030-01-01T00:00:00Z, reason: exercise}
                """;
        Routing r = RoutingFile.parse("routing.yaml", yaml, dir, ENV::get);

        assertThat(r.repeatInterval()).isEqualTo(Duration.ofHours(2));
        assertThat(r.retry()).isEqualTo(new RetryPolicy(7, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMinutes(30)));
        Receiver.Webhook ops = (Receiver.Webhook) r.receivers().get(0);
        assertThat(ops.signingSecrets()).hasSize(2);
        assertThat(ops.url().reveal()).isEqualTo("https://hooks.example/vigil?token=abc123");
        assertThat(ops.pacing()).isEqualTo(new Receiver.Pacing(Duration.ofSeconds(3), 2));
        assertThat(r.receiversFor(TestAlerts.alert("venezuela", "e", 1, Level.HIGH, Level.ELEVATED, "t", "u")))
                .containsExactly(new ReceiverName("audit"), new ReceiverName("ops"));
        assertThat(r.receiversFor(TestAlerts.alert("venezuela", "e", 1, Level.ELEVATED, Level.NORMAL, "t", "u")))
                .containsExactly(new ReceiverName("audit"));
        assertThat(r.silences()).singleElement().satisfies(s -> assertThat(s.reason()).isEqualTo("exercise"));
    }

    @Test
    void everyProblemIsReportedWithFileLineColumnAndKeyAndNoSecret() {
        String yaml = """
                receivers:
                  ops:
                    type: webhook
                    url: {env: VIGIL_OPS_HOOK_URL}
                    secret: whsec_inline-secret-value
                    colour: blue
                  slack:
                    type: slack
                    url: {env: MISSING_VAR}
                  bad:
                    type: pager
                routes:
                  - levels: [severe]
                    receivers: [ops, nobody]
                repeatInterval: soon
                """;
        assertThatThrownBy(() -> RoutingFile.parse("routing.yaml", yaml, dir, ENV::get))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("routing.yaml:5:13: receivers.ops.secret: expected {env: NAME} or {file: PATH}")
                .hasMessageContaining("routing.yaml:6:5: receivers.ops.colour: unknown key")
                .hasMessageContaining("receivers.slack.url.env: the environment variable MISSING_VAR is not set")
                .hasMessageContaining("receivers.bad.type: expected one of console, email, log, slack, webhook, found 'pager'")
                .hasMessageContaining("routes[0].levels: level: expected one of normal, elevated, high, critical, found 'severe'")
                .hasMessageContaining("routes[0].receivers: no receiver named 'nobody'")
                .hasMessageContaining("routing.yaml:15:17: repeatInterval: expected a duration")
                .hasMessageNotContaining("inline-secret-value").hasMessageNotContaining("abc123");
    }

    @Test
    void aSecretThatIsNotAStandardWebhooksSecretIsRejectedWithoutShowingIt() {
        String yaml = """
                receivers:
                  ops: {type: webhook, url: "https://h.example/x", secret: {env: VIGIL_SMTP_PASSWORD}}
                routes:
                  - receivers: [ops]
                """;
        assertThatThrownBy(() -> RoutingFile.parse("routing.yaml", yaml, dir, ENV::get))
                .hasMessageContaining("receivers.ops: secret (env VIGIL_SMTP_PASSWORD): expected a Standard Webhooks secret")
                .hasMessageNotContaining("smtp-pass-42");
    }

    @Test
    void receiversWithoutRoutesAreAMistake() {
        assertThatThrownBy(() -> RoutingFile.parse("routing.yaml", "receivers:\n  a: {type: log}\n", dir, ENV::get))
                .hasMessageContaining("no route sends alerts to these receivers");
    }

    @Test
    void emailReceiverNeedsValidAddressesAndDefaultsToStarttls() {
        String yaml = """
                receivers:
                  mail:
                    type: email
                    smtp: {host: smtp.example.org, username: vigil, password: {env: VIGIL_SMTP_PASSWORD}}
                    from: vigil@example.org
                    to: [oncall@example.org, "ops@example.org"]
                routes:
                  - receivers: [mail]
                """;
        Receiver.Email mail = (Receiver.Email) RoutingFile.parse("routing.yaml", yaml, dir, ENV::get).receivers().get(0);
        assertThat(mail.smtp().tls()).isEqualTo(Receiver.Tls.STARTTLS);
        assertThat(mail.smtp().port()).isEqualTo(587);
        assertThat(mail.to()).isEqualTo(List.of("oncall@example.org", "ops@example.org"));
        assertThat(mail.toString()).doesNotContain("smtp-pass-42");
    }

    @Test
    void egressAllowListsTheAddressesReceiversMayReachAndRejectsWhatIsNotARange() {
        String yaml = """
                egress:
                  allow: [10.20.0.0/16, "fd00:1::/64"]
                receivers:
                  audit: {type: log}
                routes:
                  - receivers: [audit]
                """;
        Routing routing = RoutingFile.parse("routing.yaml", yaml, dir, ENV::get);
        assertThat(routing.egressAllow()).extracting(Object::toString).containsExactly("10.20.0.0/16", "fd00:1:0:0:0:0:0:0/64");
        assertThatThrownBy(() -> RoutingFile.parse("routing.yaml", yaml.replace("10.20.0.0/16", "intranet.example"), dir, ENV::get))
                .hasMessageContaining("routing.yaml:2:10: egress.allow: expected an IP address or range");
    }

    @Test
    void aWebhookOrSlackUrlWithInlineCredentialsIsRefused() {
        String yaml = """
                receivers:
                  ops: {type: webhook, url: "https://vigil:hunter2@hooks.example/in"}
                  chat:
                    type: slack
                    url: "https://u:p@hooks.slack.com/services/T0/B0/XYZ"
                routes:
                  - receivers: [ops, chat]
                """;
        assertThatThrownBy(() -> RoutingFile.parse("routing.yaml", yaml, dir, ENV::get))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("routing.yaml:2:8: receivers.ops: url (receivers.ops.url): credentials in the URL (user:pass@) are refused")
                .hasMessageContaining("routing.yaml:4:5: receivers.chat: url (receivers.chat.url): credentials in the URL (user:pass@) are refused")
                .hasMessageContaining("{env: NAME} or {file: PATH}")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void anSmtpPasswordOverPlainTextIsRefusedUnlessAllowedExplicitly() {
        String yaml = """
                receivers:
                  mail:
                    type: email
                    smtp: {host: relay.example.org, tls: none, username: vigil, password: {env: VIGIL_SMTP_PASSWORD}}
                    from: vigil@example.org
                    to: [oncall@example.org]
                routes:
                  - receivers: [mail]
                """;
        assertThatThrownBy(() -> RoutingFile.parse("routing.yaml", yaml, dir, ENV::get))
                .hasMessageContaining("routing.yaml:4:11: receivers.mail.smtp: password: refused with tls: none")
                .hasMessageContaining("allowPlaintextPassword: true")
                .hasMessageNotContaining("smtp-pass-42");
        Receiver.Email mail = (Receiver.Email) RoutingFile.parse("routing.yaml",
                yaml.replace("tls: none,", "tls: none, allowPlaintextPassword: true,"), dir, ENV::get).receivers().get(0);
        assertThat(mail.smtp().plaintextPassword()).isTrue();
    }
}
