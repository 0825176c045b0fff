package dev.vigil.alerts.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    // the Standard Webhooks specification's published test vector
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String NEXT = "whsec_" + java.util.Base64.getEncoder().encodeToString("a second secret of 32 bytes!!!!!".getBytes(StandardCharsets.UTF_8));
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TS = 1614265330;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final Instant AT = Instant.ofEpochSecond(TS);

    @Test
    void reproducesTheSpecificationsTestVector() {
        assertThat(WebhookSignature.of(List.of(SECRET)).sign(ID, TS, BODY)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifiesWhatItSigns() throws Exception {
        WebhookSignature s = WebhookSignature.of(List.of(SECRET));
        s.verify(ID, Long.toString(TS), s.sign(ID, TS, BODY), BODY, AT.plusSeconds(60));
    }

    @Test
    void duringARotationBothSecretsSignAndEitherVerifies() throws Exception {
        String header = WebhookSignature.of(List.of(SECRET, NEXT)).sign(ID, TS, BODY);
        assertThat(header.split(" ")).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("v1,"));
        WebhookSignature.of(List.of(SECRET)).verify(ID, Long.toString(TS), header, BODY, AT);
        WebhookSignature.of(List.of(NEXT)).verify(ID, Long.toString(TS), header, BODY, AT);
        // a receiver holding both accepts a sender that still signs with the old one only
        WebhookSignature.of(List.of(NEXT, SECRET)).verify(ID, Long.toString(TS), WebhookSignature.of(List.of(SECRET)).sign(ID, TS, BODY), BODY, AT);
    }

    @Test
    void rejectsTamperedBodyWrongSecretOtherIdAndOldTimestamp() {
        WebhookSignature s = WebhookSignature.of(List.of(SECRET));
        String header = s.sign(ID, TS, BODY);
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> s.verify(ID, Long.toString(TS), header, tampered, AT)).hasMessage("no v1 signature matches");
        assertThatThrownBy(() -> WebhookSignature.of(List.of(NEXT)).verify(ID, Long.toString(TS), header, BODY, AT)).hasMessage("no v1 signature matches");
        assertThatThrownBy(() -> s.verify("msg_other", Long.toString(TS), header, BODY, AT)).hasMessage("no v1 signature matches");
        assertThatThrownBy(() -> s.verify(ID, Long.toString(TS), header, BODY, AT.plusSeconds(301))).hasMessageContaining("away from now");
        assertThatThrownBy(() -> s.verify(ID, null, header, BODY, AT)).hasMessageContaining("missing");
        assertThatThrownBy(() -> s.verify(ID, Long.toString(TS), "v2," + header.substring(3), BODY, AT)).hasMessage("no v1 signature matches");
    }

    @Test
    void refusesSecretsThatAreNotStandardWebhooksSecretsWithoutShowingThem() {
        assertThatThrownBy(() -> WebhookSignature.of(List.of("hunter2-plain-password")))
                .hasMessageContaining("whsec_").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> WebhookSignature.requireValidSecret(new Secret("whsec_dG9vLXNob3J0", "env HOOK")))
                .hasMessageContaining("env HOOK").hasMessageNotContaining("dG9v");
    }
}
