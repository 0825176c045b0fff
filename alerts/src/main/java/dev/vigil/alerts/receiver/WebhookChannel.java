package dev.vigil.alerts.receiver;

import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.Topics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * POSTs each alert as JSON (the same CloudEvents document as on {@code vigil.alerts}) to a URL,
 * signed per the Standard Webhooks specification when the receiver has secrets. The
 * {@code webhook-id} is the alert's id: the same on every retry, after a crash and on a replay,
 * so a receiver de-duplicates on it. Each attempt gets a fresh timestamp and signature.
 */
public final class WebhookChannel implements Channel {

    private final ReceiverName name;
    private final HttpPost post;
    private final WebhookSignature signature;
    private final Clock clock;

    public WebhookChannel(Receiver.Webhook receiver, Clock clock, EgressGuard guard) {
        Objects.requireNonNull(receiver, "receiver");
        this.name = receiver.name();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.post = new HttpPost(receiver.url(), receiver.pacing().timeout(), clock, guard);
        this.signature = receiver.signingSecrets().isEmpty() ? null : WebhookSignature.ofSecrets(receiver.signingSecrets());
    }

    @Override
    public ReceiverName name() {
        return name;
    }

    @Override
    public Delivery.Channel kind() {
        return Delivery.Channel.WEBHOOK;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException {
        if (!alert.id().matches("[\\x21-\\x7e]{1,256}")) {
            // the id goes into a header: a record with a line break or a control character in it is refused, not sent
            throw new DeliveryException(Failure.PERMANENT, "the alert id is not a valid webhook-id (printable ASCII, at most 256 characters)");
        }
        byte[] body = Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(), alert);
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(WebhookSignature.ID_HEADER, alert.id());
        headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        if (signature != null) {
            headers.put(WebhookSignature.SIGNATURE_HEADER, signature.sign(alert.id(), timestamp, body));
        }
        post.post("application/cloudevents+json; charset=utf-8", headers, body);
    }

    @Override
    public void close() {
        post.close();
    }
}
