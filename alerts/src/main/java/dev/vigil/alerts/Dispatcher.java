package dev.vigil.alerts;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one alert to every channel: retries what may pass, dead-letters what will not, and
 * records every attempt. Returns only when each channel has either taken the alert or had it
 * dead-lettered, so the caller can then commit.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** Where attempts and dead letters are recorded. */
    public interface Ledger {
        void attempt(Delivery delivery);

        void deadLetter(Delivery delivery);
    }

    /** Waits between attempts; tests pass one that does not wait. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final List<Channel> channels;
    private final RetryPolicy retry;
    private final Ledger ledger;
    private final AlertsMetrics metrics;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Consumer<Alert> onDelivered;

    public Dispatcher(List<Channel> channels, RetryPolicy retry, Ledger ledger, AlertsMetrics metrics, Sleeper sleeper, Clock clock, Consumer<Alert> onDelivered) {
        this.channels = List.copyOf(channels);
        this.retry = Objects.requireNonNull(retry, "retry");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onDelivered = Objects.requireNonNull(onDelivered, "onDelivered");
    }

    /** Delivers to every channel; throws only {@link InterruptedException} (then nothing may be committed). */
    public void dispatch(Alert alert) throws InterruptedException {
        for (Channel channel : channels) {
            deliver(alert, channel);
        }
    }

    private void deliver(Alert alert, Channel channel) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                channel.deliver(alert);
                record(alert, channel, attempt, Delivery.Outcome.DELIVERED, "ok");
                metrics.delivered(channel.kind(), Duration.between(alert.time(), clock.instant()));
                onDelivered.accept(alert);
                return;
            } catch (Channel.DeliveryException e) {
                boolean last = !e.retryable() || attempt >= retry.maxAttempts();
                if (last) {
                    String why = e.retryable() ? "gave up after " + attempt + " attempts: " + e.getMessage() : e.getMessage();
                    Delivery dead = record(alert, channel, attempt, Delivery.Outcome.DEAD_LETTERED, why);
                    ledger.deadLetter(new Delivery(dead.schemaVersion(), dead.alertId(), dead.receiver(), dead.channel(), attempt,
                            Delivery.Outcome.DEAD_LETTERED, why, dead.at(), alert));
                    log.warn("alerts: {} to {} dead-lettered: {}", alert.id(), channel.name(), why);
                    return;
                }
                record(alert, channel, attempt, Delivery.Outcome.RETRY, e.getMessage());
                Duration wait = retry.backoff(attempt);
                log.info("alerts: {} to {} failed ({}); attempt {} in {} ms", alert.id(), channel.name(), e.getMessage(), attempt + 1, wait.toMillis());
                sleeper.sleep(wait);
            }
        }
    }

    private Delivery record(Alert alert, Channel channel, int attempt, Delivery.Outcome outcome, String detail) {
        Instant now = clock.instant();
        Delivery d = new Delivery(Delivery.SCHEMA_VERSION, alert.id(), channel.name(), channel.kind(), attempt, outcome, detail, now, null);
        metrics.attempt(channel.kind(), outcome);
        ledger.attempt(d);
        return d;
    }
}
