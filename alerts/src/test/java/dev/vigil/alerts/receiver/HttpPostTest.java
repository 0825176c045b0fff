package dev.vigil.alerts.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpPostTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void readsRetryAfterAsSecondsOrAsAnHttpDate() {
        assertThat(HttpPost.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(HttpPost.retryAfter("Sat, 28 Nov 2026 10:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
        assertThat(HttpPost.retryAfter("Sat, 28 Nov 2026 09:00:00 GMT", NOW)).isEmpty();
        assertThat(HttpPost.retryAfter("soon", NOW)).isEmpty();
        assertThat(HttpPost.retryAfter("-5", NOW)).isEmpty();
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> HttpPost.requireHttpUrl(new Secret("ftp://x.example/?token=s3cret", "env HOOK")))
                .hasMessage("url (env HOOK): expected an absolute http(s) URL");
    }
}
