package dev.vigil.alerts.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.alerts.LoopbackReceiver;
import dev.vigil.alerts.TestAlerts;
import dev.vigil.model.Alert;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.model.net.HostResolver;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhook, Slack and SMTP deliveries go through the same egress guard as ingest's fetches. The
 * refused targets are address literals or names mapped by a {@link HostResolver} lambda; where a
 * real loopback receiver listens, the guard does not allow its address, and the test shows it was
 * never reached.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiverEgressTest {

    private static final Receiver.Pacing PACING = new Receiver.Pacing(Duration.ofSeconds(5), 10);
    private static final Alert ALERT = TestAlerts.alert("Carrier arrives");

    private static EgressGuard guard(HostResolver resolver, String... allow) {
        return new EgressGuard(EgressPolicy.publicOnly().allowing(java.util.Arrays.stream(allow).map(Cidr::parse).toList()), resolver,
                "list it under egress.allow in the routing file");
    }

    private static WebhookChannel webhook(String url, EgressGuard guard) {
        return new WebhookChannel(new Receiver.Webhook(new ReceiverName("hook"), new Secret(url, "test"), List.of(), PACING), Clock.systemUTC(), guard);
    }

    private static Channel.DeliveryException failure(Channel channel) {
        return catchThrowableOfType(Channel.DeliveryException.class, () -> channel.deliver(ALERT));
    }

    @Test
    void aWebhookToMetadataOrPrivateAddressesIsRefusedPermanently() {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver counting = host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getByName("10.0.0.7"));
        };
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://[::ffff:0:169.254.169.254]/", "http://[fd00:ec2::254]/",
                "http://100.100.100.200/", "http://192.168.1.1:8080/hook", "http://[64:ff9b:1::a9fe:a9fe]/")) {
            try (WebhookChannel channel = webhook(url, guard(counting))) {
                Channel.DeliveryException e = failure(channel);
                assertThat(e).as(url).isNotNull();
                assertThat(e.failure()).as(url).isEqualTo(Channel.Failure.PERMANENT);
                assertThat(e.getMessage()).as(url).startsWith("egress refused: ").contains("address (list it under egress.allow");
            }
        }
        assertThat(lookups).as("address literals never go to DNS").hasValue(0);
        try (WebhookChannel channel = webhook("https://hooks.internal.example/in?token=s3cret", guard(counting))) {
            Channel.DeliveryException e = failure(channel);
            assertThat(e.getMessage()).isEqualTo("egress refused: 10.0.0.7 is a private address (list it under egress.allow in the routing file to allow it)");
            assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("hooks.internal");
        }
    }

    @Test
    void aNameThatResolvesToARefusedAddressNeverReachesTheReceiverThere() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            int port = receiver.uri("/").getPort();
            HostResolver toLoopback = host -> List.of(InetAddress.getByName("127.0.0.1"));
            // loopback is not allowed here: the name's only address is refused, so nothing connects
            try (WebhookChannel refused = webhook("http://hooks.test:" + port + "/hook", guard(toLoopback));
                 SlackChannel slack = new SlackChannel(new Receiver.Slack(new ReceiverName("chat"),
                         new Secret("http://slack.test:" + port + "/services/T0/B0/XYZ", "test"), PACING), guard(toLoopback))) {
                assertThat(failure(refused).getMessage()).startsWith("egress refused: 127.0.0.1 is a loopback address");
                assertThat(failure(slack).getMessage()).startsWith("egress refused: 127.0.0.1 is a loopback address");
            }
            assertThat(receiver.requests()).isEmpty();
            // allowed explicitly, the same name is delivered to the address the guard checked
            try (WebhookChannel allowed = webhook("http://hooks.test:" + port + "/hook", guard(toLoopback, "127.0.0.1/32"))) {
                allowed.deliver(ALERT);
            }
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void smtpConnectsOnlyWhereTheGuardAllowsWithAnyTransportSecurity() throws Exception {
        GreenMail plain = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        GreenMail smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        plain.start();
        smtps.start();
        try {
            HostResolver toLoopback = host -> List.of(InetAddress.getByName("127.0.0.1"));
            for (Receiver.Smtp server : List.of(
                    new Receiver.Smtp("mail.test", plain.getSmtp().getPort(), Receiver.Tls.NONE, null, null, true, false),
                    new Receiver.Smtp("127.0.0.1", plain.getSmtp().getPort(), Receiver.Tls.STARTTLS, null, null, true, false),
                    new Receiver.Smtp("mail.test", smtps.getSmtps().getPort(), Receiver.Tls.SMTPS, null, null, true, false))) {
                Channel.DeliveryException e = failure(email(server, guard(toLoopback)));
                assertThat(e).as(server.tls().name()).isNotNull();
                assertThat(e.failure()).as(server.tls().name()).isEqualTo(Channel.Failure.PERMANENT);
                assertThat(e.getMessage()).as(server.tls().name()).startsWith("egress refused: 127.0.0.1 is a loopback address");
            }
            assertThat(plain.getReceivedMessages()).isEmpty();
            assertThat(smtps.getReceivedMessages()).isEmpty();

            email(new Receiver.Smtp("mail.test", plain.getSmtp().getPort(), Receiver.Tls.NONE, null, null, true, false),
                    guard(toLoopback, "127.0.0.1/32")).deliver(ALERT);
            assertThat(plain.waitForIncomingEmail(5000, 1)).isTrue();
        } finally {
            plain.stop();
            smtps.stop();
        }
    }

    private static EmailChannel email(Receiver.Smtp server, EgressGuard guard) {
        return new EmailChannel(new Receiver.Email(new ReceiverName("mail"), server, "vigil@example.org", List.of("oncall@example.org"), PACING), guard);
    }
}
