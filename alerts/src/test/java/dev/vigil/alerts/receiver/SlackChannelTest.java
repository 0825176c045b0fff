package dev.vigil.alerts.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alerts.LoopbackReceiver;
import dev.vigil.alerts.TestAlerts;
import dev.vigil.model.Alert;
import dev.vigil.model.Json;
import dev.vigil.model.Level;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Slack receiver against a loopback stand-in for Slack's incoming-webhook endpoint. */
class SlackChannelTest {

    @Test
    void articleTextCanNeitherPingTheChannelNorForgeALink() throws Exception {
        Alert alert = TestAlerts.alert("venezuela", "venezuela.ep", 1, Level.ELEVATED, Level.NORMAL,
                "<!channel> Breaking & urgent: <https://evil.example|click> here", "https://herald.example/a?b=1&c=2|x");
        try (LoopbackReceiver slack = new LoopbackReceiver()) {
            SlackChannel channel = new SlackChannel(new Receiver.Slack(new ReceiverName("team-slack"),
                    new Secret(slack.uri("/services/T000/B000/XXXX").toString(), "test"), new Receiver.Pacing(Duration.ofSeconds(5), 10)), LoopbackReceiver.GUARD);
            channel.deliver(alert);

            assertThat(slack.requests()).hasSize(1);
            JsonNode payload = Json.mapper().readTree(slack.requests().get(0).body());
            String text = payload.get("text").asText();
            assertThat(text).doesNotContain("<!channel>").doesNotContain("<https://evil").doesNotContain("<!");
            assertThat(text).contains("&lt;!channel&gt; Breaking &amp; urgent: &lt;https://evil.example|click&gt; here");
            // the one link is ours: the story URL, its '&' escaped and its '|' encoded so it cannot end the link early
            assertThat(text).contains("<https://herald.example/a?b=1&amp;c=2%7Cx|&lt;!channel&gt; Breaking");
            assertThat(text).contains("*venezuela* is *ELEVATED*");
            assertThat(payload.get("unfurl_links").asBoolean()).isFalse();
        }
    }

    @Test
    void onlyHttpUrlsBecomeLinks() {
        assertThat(SlackText.link("javascript:alert(1)", "x")).isEqualTo("x");
        assertThat(SlackText.link("not a url", "<b>")).isEqualTo("&lt;b&gt;");
        assertThat(SlackText.link("https://ok.example/p", "t")).isEqualTo("<https://ok.example/p|t>");
    }

    @Test
    void lineBreaksInTitlesCannotStartNewLines() {
        assertThat(SlackText.escape("a\nb\r\nc")).isEqualTo("a b c");
    }
}
