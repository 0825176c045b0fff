package dev.vigil.alerts.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.alerts.TestAlerts;
import dev.vigil.model.Alert;
import dev.vigil.model.Level;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The e-mail receiver against GreenMail, a real SMTP server on loopback. */
class EmailChannelTest {

    private GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private EmailChannel channel(Receiver.Smtp server) {
        return new EmailChannel(new Receiver.Email(new ReceiverName("oncall"), server, "vigil@example.org", List.of("oncall@example.org"),
                new Receiver.Pacing(Duration.ofSeconds(5), 10)), dev.vigil.alerts.LoopbackReceiver.GUARD);
    }

    private Receiver.Smtp plain() {
        return new Receiver.Smtp("127.0.0.1", smtp.getSmtp().getPort(), Receiver.Tls.NONE, null, null, true, false);
    }

    private static Alert alertTitled(String title) {
        return TestAlerts.alert("venezuela", "venezuela.ep", 1, Level.HIGH, Level.ELEVATED, title, "https://herald.example/a/1?x=\"><script>");
    }

    @Test
    void scriptInATitleIsTextInTheHtmlPartAndThereIsAPlainTextPart() throws Exception {
        channel(plain()).deliver(alertTitled("Carrier <script>alert('x')</script> arrives & stays"));

        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage m = smtp.getReceivedMessages()[0];
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain");
        assertThat((String) text.getContent()).contains("Carrier <script>alert('x')</script> arrives & stays");
        assertThat(html.getContentType()).startsWith("text/html");
        String body = (String) html.getContent();
        assertThat(body).doesNotContain("<script").contains("Carrier &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; arrives &amp; stays");
        assertThat(body).contains("href=\"https://herald.example/a/1?x=&quot;&gt;&lt;script&gt;\"");
        assertThat(m.getSubject()).startsWith("[Vigil] venezuela HIGH (escalated, was elevated)");
    }

    @Test
    void lineBreaksInATitleCannotAddAHeaderOrARecipient() throws Exception {
        channel(plain()).deliver(alertTitled("Boat struck\r\nBcc: x@evil.example\r\nX-Injected: yes"));

        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(smtp.getReceivedMessagesForDomain("evil.example")).isEmpty();
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(m.getHeader("X-Injected")).isNull();
        assertThat(m.getAllRecipients()).extracting(Address::toString).containsExactly("oncall@example.org");
        assertThat(m.getRecipients(Message.RecipientType.BCC)).isNull();
        // a long header is folded (CRLF + space, RFC 5322); unfolded, no header value holds a line break
        assertThat(MimeUtility.unfold(m.getSubject())).contains("Boat struck Bcc: x@evil.example X-Injected: yes")
                .doesNotContain("\r").doesNotContain("\n");
        Collections.list(m.getAllHeaders()).forEach(h -> assertThat(MimeUtility.unfold(h.getValue())).doesNotContain("\r").doesNotContain("\n"));
    }

    @Test
    void starttlsRequiredRefusesAServerWithoutIt() {
        Receiver.Smtp starttls = new Receiver.Smtp("127.0.0.1", smtp.getSmtp().getPort(), Receiver.Tls.STARTTLS, null, null, true, false);
        assertThatThrownBy(() -> channel(starttls).deliver(alertTitled("t")))
                .isInstanceOf(Channel.DeliveryException.class)
                .satisfies(e -> assertThat(((Channel.DeliveryException) e).retryable()).isTrue());
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void smtpsChecksTheServersCertificate() {
        GreenMail smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smtps.start();
        try {
            // GreenMail's certificate is self-signed: a client that checks certificates must refuse to send
            Receiver.Smtp tls = new Receiver.Smtp("127.0.0.1", smtps.getSmtps().getPort(), Receiver.Tls.SMTPS, null, null, true, false);
            assertThatThrownBy(() -> channel(tls).deliver(alertTitled("t")))
                    .isInstanceOf(Channel.DeliveryException.class)
                    .hasMessageStartingWith("SMTP connection failed");
            assertThat(smtps.getReceivedMessages()).isEmpty();
        } finally {
            smtps.stop();
        }
    }

    @Test
    void unreachableServerIsRetryable() {
        EmailChannel channel = channel(plain());
        smtp.stop();
        assertThatThrownBy(() -> channel.deliver(alertTitled("t")))
                .isInstanceOf(Channel.DeliveryException.class)
                .hasMessageStartingWith("SMTP connection failed")
                .satisfies(e -> assertThat(((Channel.DeliveryException) e).retryable()).isTrue());
    }

    @Test
    void addressesAreCheckedWhenConfigured() {
        assertThatThrownBy(() -> new Receiver.Email(new ReceiverName("m"), plain(), "vigil@example.org", List.of("a@example.org\r\nBcc: x@evil"),
                Receiver.Pacing.DEFAULT)).hasMessageContaining("to: expected one e-mail address");
    }
}
