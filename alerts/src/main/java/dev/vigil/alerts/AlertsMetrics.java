package dev.vigil.alerts;

import dev.vigil.model.Delivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The alerts service's domain meters. Tags are bounded: channel kind, outcome, and the receiver's
 * configured name (a handful per deployment) — never a receiver URL, a topic or an alert id.
 */
public final class AlertsMetrics {

    public static final String DELIVERIES = "vigil.deliveries";
    public static final String DELIVERY_LATENCY = "vigil.alert.delivery.latency";
    public static final String MALFORMED = "vigil.alerts.malformed";
    public static final String UNROUTED = "vigil.alerts.unrouted";
    public static final String IN_FLIGHT = "vigil.alerts.in.flight";
    public static final String RECEIVER_QUEUE = "vigil.alerts.receiver.queue";
    public static final String RECEIVER_DISABLED = "vigil.alerts.receiver.disabled";
    public static final String SILENCES_ACTIVE = "vigil.alerts.silences.active";

    private final MeterRegistry registry;
    private final Counter malformed;

    public AlertsMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered at start, at zero: a dashboard's rate over it has a series before the first bad record
        this.malformed = Counter.builder(MALFORMED).description("Records on vigil.alerts that were not valid alerts (sent to the dead-letter topic)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void attempt(String receiver, Delivery.Channel channel, Delivery.Outcome outcome) {
        Counter.builder(DELIVERIES).description("Alert delivery attempts and decisions, by receiver, channel and outcome")
                .tag("receiver", receiver).tag("channel", channel.wireName()).tag("outcome", outcome.wireName())
                .register(registry).increment();
    }

    void delivered(Delivery.Channel channel, Duration sinceAlert) {
        Timer.builder(DELIVERY_LATENCY).description("Time from an alert's decision to its delivery")
                .tag("channel", channel.wireName()).publishPercentileHistogram().register(registry).record(sinceAlert);
    }

    void malformed() {
        malformed.increment();
    }

    void unrouted() {
        Counter.builder(UNROUTED).description("Alerts that no route sent to any receiver (recorded on vigil.deliveries)")
                .register(registry).increment();
    }

    void inFlight(Supplier<Number> records) {
        Gauge.builder(IN_FLIGHT, records).description("Consumed alerts with a delivery still open (not yet committable)").register(registry);
    }

    void receiver(String receiver, Supplier<Number> queued, Supplier<Number> disabled) {
        Gauge.builder(RECEIVER_QUEUE, queued).description("Alerts waiting for a receiver").tag("receiver", receiver).register(registry);
        Gauge.builder(RECEIVER_DISABLED, disabled).description("1 when a receiver answered 410 Gone and was disabled")
                .tag("receiver", receiver).register(registry);
    }

    /** Registers a gauge of the active silences. */
    public void silences(Supplier<Number> active) {
        Gauge.builder(SILENCES_ACTIVE, active).description("Silences in force").register(registry);
    }
}
