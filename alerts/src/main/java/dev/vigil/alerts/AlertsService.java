package dev.vigil.alerts;

import dev.vigil.alerts.api.AlertFeed;
import dev.vigil.alerts.api.AlertsApi;
import dev.vigil.alerts.receiver.Channel;
import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.alerts.silence.SilenceStore;
import dev.vigil.model.Alert;
import dev.vigil.model.Topics;
import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.net.HostResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code vigil.alerts} (committed records only) and delivers every alert to the
 * receivers its routes name, at least once. Each receiver has its own {@link ReceiverLane}, so a
 * dead one never delays the others; an offset is committed only when every delivery routed for
 * it, and for every record before it, ended — delivered, dead-lettered (durably), silenced or
 * suppressed as a repeat ({@link AlertConsumerLoop}, started again by a {@link LoopSupervisor}
 * when it fails). A crash in between means the alert is delivered again, under the same
 * {@code webhook-id}. This class wires the parts, and also runs the silence store and the feed
 * behind the HTTP API. {@link #start()} and {@link #close()} are idempotent.
 */
public final class AlertsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertsService.class);

    private final AlertsSettings settings;
    private final MeterRegistry registry;
    private final PrintStream console;
    private final BiConsumer<Receiver, Alert> onDelivered;
    private final Clock clock;
    private final AlertsMetrics metrics;
    private final Map<ReceiverName, ReceiverLane> lanes = new LinkedHashMap<>();
    private KafkaLedger ledger;
    private volatile AlertConsumerLoop loop;
    private SilenceStore silences;
    private AlertFeed feed;
    private AlertsApi api;
    private volatile LoopSupervisor supervisor;

    /**
     * @param console     where console receivers print
     * @param onDelivered called after each successful delivery, with the receiver that took the alert (the demo waits
     *                    on it: each receiver has its own lane, so one may have an alert before another)
     */
    public AlertsService(AlertsSettings settings, MeterRegistry registry, PrintStream console, BiConsumer<Receiver, Alert> onDelivered, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.console = Objects.requireNonNull(console, "console");
        this.onDelivered = Objects.requireNonNull(onDelivered, "onDelivered");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new AlertsMetrics(registry);
    }

    public synchronized void start() {
        if (supervisor != null) {
            return;
        }
        ledger = new KafkaLedger(settings.kafka(), registry);

        SilenceStore store = new SilenceStore(settings.kafka(), settings.routing().silences(), clock);
        silences = store;
        store.start(Duration.ofSeconds(60));
        metrics.silences(() -> store.active(clock.instant()).size());
        feed = new AlertFeed(settings.recentAlerts());
        feed.follow(settings.kafka());

        Routing routing = settings.routing();
        EgressGuard guard = routing.egressGuard(HostResolver.system());
        for (Receiver receiver : routing.receivers()) {
            Channel channel = Channel.of(receiver, console, guard);
            ReceiverLane lane = new ReceiverLane(channel, routing.retry(), receiver.pacing().perSecond(), ledger, metrics, silences,
                    routing.repeatInterval(), clock, d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()), AlertConsumerLoop::finished,
                    alert -> onDelivered.accept(receiver, alert));
            lanes.put(receiver.name(), lane);
            lane.start();
        }
        loop = new AlertConsumerLoop(settings, lanes, ledger, metrics, clock);
        // through the field: a gauge registered once still reads the loop of a later start()
        metrics.inFlight(() -> {
            AlertConsumerLoop l = loop;
            return l == null ? 0 : l.inFlight();
        });
        List<ReceiverLane> started = List.copyOf(lanes.values());
        api = new AlertsApi(feed, store, () -> started.stream().map(ReceiverLane::status).toList(), settings.apiToken(), clock);

        supervisor = new LoopSupervisor("vigil-alerts", loop::run, loop::stop, Duration.ofSeconds(1), Duration.ofMinutes(1), clock,
                LoopSupervisor.Pause.UNTIL_STOPPED);
        supervisor.start();
        if (lanes.isEmpty()) {
            log.warn("alerts: no receivers configured: every alert will be recorded on {} as unrouted", settings.kafka().topic(Topics.DELIVERIES));
        } else {
            log.info("alerts: delivering to {}", lanes.keySet());
        }
    }

    /** The HTTP API's handlers, to mount on the process's HTTP server; available once started. */
    public synchronized AlertsApi api() {
        if (api == null) {
            throw new IllegalStateException("the alerts service is not started");
        }
        return api;
    }

    /** True while the delivery loop runs; false before start, after close, and while it waits to restart after a failure. */
    public boolean isRunning() {
        LoopSupervisor s = supervisor;
        return s != null && s.isRunning();
    }

    @Override
    public synchronized void close() {
        if (supervisor != null) {
            supervisor.close();
            supervisor = null;
            loop = null;
            log.info("alerts: stopped");
        }
        // also after a start() that failed half-way: close whatever was opened
        lanes.values().forEach(ReceiverLane::close);
        lanes.clear();
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (silences != null) {
            silences.close();
            silences = null;
        }
        if (ledger != null) {
            ledger.close();
            ledger = null;
        }
    }
}
