package dev.vigil.alerts;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * POSTs each alert as JSON (the same CloudEvents document as on {@code vigil.alerts}) to a URL.
 * 2xx is success; 5xx, 429, timeouts and connection failures may be retried; any other status
 * (including a redirect, which is not followed) is permanent. The URL never appears in an error:
 * it may carry a token.
 */
public final class WebhookChannel implements Channel {

    private final String name;
    private final URI url;
    private final HttpClient client;
    private final Duration timeout;

    public WebhookChannel(String name, URI url, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Delivery.Channel kind() {
        return Delivery.Channel.WEBHOOK;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException {
        byte[] body = Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(), alert);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("User-Agent", "Vigil/0.1 alerts")
                .header("Idempotency-Key", alert.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(true, "timed out after " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new DeliveryException(true, "connection failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(true, "interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        boolean retryable = status >= 500 || status == 429;
        throw new DeliveryException(retryable, "HTTP " + status);
    }
}
