package dev.vigil.model.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The egress guard at the one place a name becomes an address. Every outbound connection (ingest's
 * fetches, the alerts service's webhook, Slack and SMTP deliveries) connects only to the addresses
 * {@link #resolve} returns, so the address checked is the address connected to, and a name that
 * answers with a public address first and loopback next (DNS rebinding) cannot slip through
 * between a check and a connect. Refused addresses are dropped; when none is left the lookup fails
 * with {@link Refused}. An address literal never goes to DNS.
 *
 * <pre>{@code
 * new EgressGuard(EgressPolicy.publicOnly(), HostResolver.system(), "list it under egress.allow")
 *         .resolve("169.254.169.254")   // throws Refused: a metadata address
 * }</pre>
 */
public final class EgressGuard {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final EgressPolicy policy;
    private final HostResolver resolver;
    private final String hint;

    /**
     * @param hint how an operator allows a refused address, ending the refusal's message, e.g.
     *             {@code list it under egress.allow in the routing file}
     */
    public EgressGuard(EgressPolicy policy, HostResolver resolver, String hint) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    public EgressPolicy policy() {
        return policy;
    }

    /** A lookup whose every address the egress policy refuses. */
    public static final class Refused extends UnknownHostException {
        private static final long serialVersionUID = 1L;
        private final transient InetAddress address;
        private final EgressPolicy.Category category;

        Refused(String host, InetAddress address, EgressPolicy.Category category, String hint) {
            super(host + " is " + address.getHostAddress() + ", a " + category.word() + " address: refused (" + hint + ")");
            this.address = address;
            this.category = category;
        }

        public InetAddress address() {
            return address;
        }

        public EgressPolicy.Category category() {
            return category;
        }
    }

    /** Whether a host (without brackets) is an IP address literal rather than a name. */
    public static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches();
    }

    /**
     * The addresses of a host (a name, a literal, or a bracketed IPv6 literal) that the policy
     * allows, in the resolver's order.
     *
     * @throws Refused              when the host has addresses and the policy refuses them all
     * @throws UnknownHostException when it has none
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
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
                first = new Refused(h, a, refusal.get(), hint);
            }
        }
        if (ok.isEmpty()) {
            throw first != null ? first : new UnknownHostException(h + " has no address");
        }
        return List.copyOf(ok);
    }
}
