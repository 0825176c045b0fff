package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aBacklogDrainsAtTheConfiguredRateAfterTheBurst() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(2, now::get);

        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(500));
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(500));
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void retryAfterIsHonouredUpToAnHourAndBackoffGrowsWithJitterWithinItsBounds() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofHours(1));
        assertThat(p.nextWait(1, java.util.Optional.of(Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.nextWait(1, java.util.Optional.of(Duration.ofDays(2)))).isEqualTo(RetryPolicy.MAX_RETRY_AFTER);
        for (int i = 0; i < 50; i++) {
            assertThat(p.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(p.backoff(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(p.backoff(40)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }
}
