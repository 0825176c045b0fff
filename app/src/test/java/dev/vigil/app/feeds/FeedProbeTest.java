package dev.vigil.app.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.Cidr;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedProbeTest {

    @Test
    void probeSaysWhichAddressIngestRefusesAlthoughTheCheckWasAllowedThrough() {
        // the resolver answers from a table: no DNS, no connection
        try (FeedProbe probe = new FeedProbe(List.of(Cidr.parse("10.20.0.0/16")), Duration.ofSeconds(1), host -> switch (host) {
            case "news.internal" -> List.of(InetAddress.getByAddress(host, new byte[] {10, 20, 0, 7}));
            case "wire.example" -> List.of(InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}));
            default -> throw new UnknownHostException(host);
        })) {
            assertThat(probe.refusedByDefault(URI.create("http://news.internal/feed.xml"))).contains("10.20.0.7 (private)");
            assertThat(probe.refusedByDefault(URI.create("http://wire.example/feed.xml"))).isEmpty();
            assertThat(probe.refusedByDefault(URI.create("http://nowhere.example/feed.xml"))).isEmpty();
        }
    }
}
