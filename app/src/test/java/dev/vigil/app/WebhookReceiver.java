package dev.vigil.app;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Alert;
import dev.vigil.model.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback webhook receiver that keeps every alert POSTed to it. */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                alerts.add(Topics.ALERTS.value(body));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
