package dev.vigil.alerts.receiver;

import dev.vigil.model.net.EgressGuard;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Posts each alert to a Slack incoming webhook as escaped mrkdwn text (see {@link SlackText}).
 * Slack answers 4xx for a bad payload or a removed channel and 410 when the channel is archived.
 */
public final class SlackChannel implements Channel {

    private final ReceiverName name;
    private final HttpPost post;

    public SlackChannel(Receiver.Slack receiver, EgressGuard guard) {
        Objects.requireNonNull(receiver, "receiver");
        this.name = receiver.name();
        this.post = new HttpPost(receiver.url(), receiver.pacing().timeout(), Clock.systemUTC(), guard);
    }

    @Override
    public ReceiverName name() {
        return name;
    }

    @Override
    public Delivery.Channel kind() {
        return Delivery.Channel.SLACK;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException {
        post.post("application/json; charset=utf-8", Map.of(), payload(alert));
    }

    /** The JSON body: the message text, without link previews (a story page must not unfurl into the channel). */
    public static byte[] payload(Alert alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", SlackText.message(alert));
        body.put("unfurl_links", false);
        body.put("unfurl_media", false);
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Slack message as JSON", e);
        }
    }

    @Override
    public void close() {
        post.close();
    }
}
