package dev.vigil.model.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution, the one seam between an outbound connection and DNS. Production uses the system
 * resolver; tests map names of their own to loopback addresses.
 */
@FunctionalInterface
public interface HostResolver {

    /** Every address the name resolves to; throws {@link UnknownHostException} when none. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (which honours {@code networkaddress.cache.ttl}). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
