package dev.vigil.model.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hc.client5.http.DnsResolver;

/**
 * An {@link EgressGuard} as Apache HttpClient's resolver: the client connects only to the
 * addresses returned here, so what the guard checked is what the client connects to. Only HTTP
 * clients load this class (httpclient5 is an optional dependency of {@code model}).
 */
public final class GuardedDns implements DnsResolver {

    private final EgressGuard guard;

    public GuardedDns(EgressGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return guard.resolve(host).toArray(new InetAddress[0]);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : guard.resolve(host)) {
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
