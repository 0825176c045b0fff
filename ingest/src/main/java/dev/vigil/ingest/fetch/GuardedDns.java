package dev.vigil.ingest.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The egress guard at the one place a name becomes an address: the HTTP client connects only to
 * the addresses returned here, so the address checked is the address connected to and a name
 * that answers with a public address first and loopback next (DNS rebinding) cannot slip
 * through between a check and a connect. Refused addresses are dropped; when none is left the
 * lookup fails with {@link Refused}.
 */
final class GuardedDns implements DnsResolver {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final EgressPolicy policy;
    private final HostResolver resolver;

    GuardedDns(EgressPolicy policy, HostResolver resolver) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A lookup whose every address the egress policy refuses. */
    static final class Refused extends UnknownHostException {
        private final transient InetAddress address;
        private final EgressPolicy.Category category;

        Refused(String host, InetAddress address, EgressPolicy.Category category) {
            super(host + " is " + address.getHostAddress() + ", a " + category.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + " address: refused (list it under egress.allow for an internal feed)");
            this.address = address;
            this.category = category;
        }

        InetAddress address() {
            return address;
        }

        EgressPolicy.Category category() {
            return category;
        }
    }

    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // a literal never goes to DNS: getByName parses it
        List<InetAddress> all = isLiteral(h) ? List.of(InetAddress.getByName(h)) : resolver.resolve(h);
        List<InetAddress> ok = new ArrayList<>();
        Refused first = null;
        for (InetAddress a : all) {
            Optional<EgressPolicy.Category> refusal = policy.refusal(a);
            if (refusal.isEmpty()) {
                ok.add(a);
            } else if (first == null) {
                first = new Refused(h, a, refusal.get());
            }
        }
        if (ok.isEmpty()) {
            throw first != null ? first : new UnknownHostException(h + " has no address");
        }
        return ok.toArray(new InetAddress[0]);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : resolve(host)) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        // no reverse lookups: the name asked for is the name used (TLS checks it)
        return host;
    }
}
