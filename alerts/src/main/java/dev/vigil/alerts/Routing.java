package dev.vigil.alerts;

import dev.vigil.alerts.receiver.Receiver;
import dev.vigil.alerts.receiver.ReceiverName;
import dev.vigil.model.Alert;
import dev.vigil.model.Silence;
import dev.vigil.model.net.Cidr;
import dev.vigil.model.net.EgressGuard;
import dev.vigil.model.net.EgressPolicy;
import dev.vigil.model.net.HostResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who gets which alert: the receivers, the routes that pick receivers by topic and level (every
 * matching route adds its receivers; an alert goes once to each), the silences fixed in the
 * routing file, the repeat interval, and the retry policy. Read from a routing file by
 * {@link RoutingFile}, or built by the command line from {@code --webhook} options.
 *
 * @param receivers      every receiver, names unique
 * @param routes         the routes, each naming receivers from {@code receivers}
 * @param silences       silences from the file (more live on {@code vigil.silences})
 * @param repeatInterval a receiver told about an episode at a level is not told again about the
 *                       same episode at the same level, under another alert id, within this
 * @param retry          retries and giving up, for every receiver
 * @param egressAllow    addresses the egress guard refuses by default that receivers may connect to
 *                       ({@code egress.allow}: an internal relay or webhook, loopback in tests)
 */
public record Routing(List<Receiver> receivers, List<Route> routes, List<Silence> silences, Duration repeatInterval, RetryPolicy retry,
                      List<Cidr> egressAllow) {

    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    public Routing {
        receivers = List.copyOf(receivers);
        routes = List.copyOf(routes);
        silences = List.copyOf(silences);
        egressAllow = List.copyOf(egressAllow);
        Objects.requireNonNull(repeatInterval, "repeatInterval");
        Objects.requireNonNull(retry, "retry");
        Set<ReceiverName> names = new HashSet<>();
        for (Receiver r : receivers) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("receivers: the name '" + r.name() + "' is used twice");
            }
        }
        for (Route route : routes) {
            for (ReceiverName name : route.receivers()) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException("routes: no receiver named '" + name + "'");
                }
            }
        }
    }

    /** Routing that allows no address the egress guard refuses by default. */
    public Routing(List<Receiver> receivers, List<Route> routes, List<Silence> silences, Duration repeatInterval, RetryPolicy retry) {
        this(receivers, routes, silences, repeatInterval, retry, List.of());
    }

    /** No receivers yet, default repeat interval and retries. */
    public static Routing empty() {
        return new Routing(List.of(), List.of(), List.of(), DEFAULT_REPEAT_INTERVAL, RetryPolicy.DEFAULT);
    }

    /** This routing plus a receiver that gets every alert (the command line's console and --webhook receivers). */
    public Routing withCatchAll(Receiver receiver) {
        List<Receiver> r = new ArrayList<>(receivers);
        r.add(receiver);
        List<Route> rt = new ArrayList<>(routes);
        rt.add(Route.all(List.of(receiver.name())));
        return new Routing(r, rt, silences, repeatInterval, retry, egressAllow);
    }

    public Routing withRetry(RetryPolicy retry) {
        return new Routing(receivers, routes, silences, repeatInterval, retry, egressAllow);
    }

    public Routing withRepeatInterval(Duration repeatInterval) {
        return new Routing(receivers, routes, silences, repeatInterval, retry, egressAllow);
    }

    /** This routing, also allowing receivers to connect to these ranges. */
    public Routing withEgressAllow(List<Cidr> more) {
        List<Cidr> all = new ArrayList<>(egressAllow);
        all.addAll(more);
        return new Routing(receivers, routes, silences, repeatInterval, retry, all);
    }

    /** The guard every receiver connects through: public addresses only, plus {@link #egressAllow()}. */
    public EgressGuard egressGuard(HostResolver resolver) {
        return new EgressGuard(EgressPolicy.publicOnly().allowing(egressAllow), resolver, "list it under egress.allow in the routing file");
    }

    /** The receivers an alert goes to, each once, in the order routes and receivers are written. */
    public List<ReceiverName> receiversFor(Alert alert) {
        Set<ReceiverName> out = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.matches(alert)) {
                out.addAll(route.receivers());
            }
        }
        return List.copyOf(out);
    }
}
