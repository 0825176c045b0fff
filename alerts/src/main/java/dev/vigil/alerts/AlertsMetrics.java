package dev.vigil.alerts;

import dev.vigil.model.Delivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The alerts service's domain meters: deliveries by channel and outcome, never a receiver URL. */
public final class AlertsMetrics {

    public static final String DELIVERIES = "vigil.deliveries";
    public static final String DELIVERY_LATENCY = "vigil.alert.delivery.latency";
    public static final String MALFORMED = "vigil.alerts.malformed";

    private final MeterRegistry registry;

    public AlertsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void attempt(Delivery.Channel channel, Delivery.Outcome outcome) {
        Counter.builder(DELIVERIES).description("Alert delivery attempts, by channel and outcome (delivered, retry, dead_lettered)")
                .tag("channel", channel.wireName()).tag("outcome", outcome.wireName()).register(registry).increment();
    }

    void delivered(Delivery.Channel channel, Duration sinceAlert) {
        Timer.builder(DELIVERY_LATENCY).description("Time from an alert's decision to its delivery")
                .tag("channel", channel.wireName()).publishPercentileHistogram().register(registry).record(sinceAlert);
    }

    void malformed() {
        Counter.builder(MALFORMED).description("Records on vigil.alerts that were not valid alerts (sent to the dead-letter topic)")
                .register(registry).increment();
    }
}
