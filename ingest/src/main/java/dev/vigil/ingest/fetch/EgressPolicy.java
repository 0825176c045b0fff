package dev.vigil.ingest.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which addresses a fetch may connect to. By default only public unicast addresses: loopback,
 * private (RFC 1918, IPv6 unique-local), link-local (which holds the cloud metadata address
 * 169.254.169.254), CGNAT (100.64.0.0/10, which holds Alibaba's 100.100.100.200), reserved,
 * documentation, multicast and "this network" ranges are refused. IPv6 forms that embed an
 * IPv4 address (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the IPv4 address inside, and
 * Teredo is refused outright. An operator opts internal feeds in with {@link #allowing}.
 *
 * <pre>{@code
 * EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("10.20.0.0/16")))
 * }</pre>
 */
public record EgressPolicy(List<Cidr> allowed) {

    /** The kind of address refused: a bounded word, usable in messages and as a metric tag. */
    public enum Category { LOOPBACK, PRIVATE, LINK_LOCAL, METADATA, CGNAT, RESERVED, MULTICAST, UNSPECIFIED }

    private record Range(Cidr cidr, Category category) {
    }

    private static final List<Range> REFUSED_V4 = List.of(
            range("169.254.169.254/32", Category.METADATA),
            range("100.100.100.200/32", Category.METADATA),
            range("0.0.0.0/8", Category.UNSPECIFIED),
            range("10.0.0.0/8", Category.PRIVATE),
            range("100.64.0.0/10", Category.CGNAT),
            range("127.0.0.0/8", Category.LOOPBACK),
            range("169.254.0.0/16", Category.LINK_LOCAL),
            range("172.16.0.0/12", Category.PRIVATE),
            range("192.0.0.0/24", Category.RESERVED),
            range("192.0.2.0/24", Category.RESERVED),
            range("192.88.99.0/24", Category.RESERVED),
            range("192.168.0.0/16", Category.PRIVATE),
            range("198.18.0.0/15", Category.RESERVED),
            range("198.51.100.0/24", Category.RESERVED),
            range("203.0.113.0/24", Category.RESERVED),
            range("224.0.0.0/4", Category.MULTICAST),
            range("240.0.0.0/4", Category.RESERVED));

    private static final List<Range> REFUSED_V6 = List.of(
            range("fd00:ec2::254/128", Category.METADATA),
            range("::/128", Category.UNSPECIFIED),
            range("::1/128", Category.LOOPBACK),
            range("100::/64", Category.RESERVED),
            range("2001::/32", Category.RESERVED),      // Teredo: tunnels to an address we cannot see
            range("2001:db8::/32", Category.RESERVED),
            range("fc00::/7", Category.PRIVATE),
            range("fe80::/10", Category.LINK_LOCAL),
            range("fec0::/10", Category.PRIVATE),
            range("ff00::/8", Category.MULTICAST));

    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    public EgressPolicy {
        allowed = List.copyOf(allowed);
    }

    /** Public addresses only: the default for every fetch. */
    public static EgressPolicy publicOnly() {
        return new EgressPolicy(List.of());
    }

    /** This policy, also allowing the given ranges (for internal feeds, the demo and tests). */
    public EgressPolicy allowing(List<Cidr> more) {
        return new EgressPolicy(java.util.stream.Stream.concat(allowed.stream(), more.stream()).toList());
    }

    /** Why an address is refused, or empty when a fetch may connect to it. */
    public Optional<Category> refusal(InetAddress address) {
        Objects.requireNonNull(address, "address");
        Optional<Inet4Address> embedded = embeddedIpv4(address);
        InetAddress judged = embedded.<InetAddress>map(a -> a).orElse(address);
        if (isAllowed(address) || isAllowed(judged)) {
            return Optional.empty();
        }
        List<Range> ranges = judged instanceof Inet4Address ? REFUSED_V4 : REFUSED_V6;
        for (Range r : ranges) {
            if (r.cidr().contains(judged)) {
                return Optional.of(r.category());
            }
        }
        return Optional.empty();
    }

    private boolean isAllowed(InetAddress address) {
        return allowed.stream().anyMatch(c -> c.contains(address));
    }

    /** The IPv4 address an IPv6 address stands for, where it embeds one. */
    static Optional<Inet4Address> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        byte[] v4;
        if (isMapped(b) || NAT64.contains(address) || (COMPATIBLE.contains(address) && !isZeroOrOne(b))) {
            v4 = new byte[] {b[12], b[13], b[14], b[15]};
        } else if (SIX_TO_FOUR.contains(address)) {
            v4 = new byte[] {b[2], b[3], b[4], b[5]};
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /**
     * {@code ::ffff:a.b.c.d}. Java turns such literals into IPv4 addresses itself, but an
     * {@link Inet6Address} built from raw bytes keeps the mapped form.
     */
    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** {@code ::} and {@code ::1} are not IPv4-compatible addresses but themselves. */
    private static boolean isZeroOrOne(byte[] b) {
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 0 || b[15] == 1;
    }

    private static Range range(String cidr, Category category) {
        return new Range(Cidr.parse(cidr), category);
    }
}
