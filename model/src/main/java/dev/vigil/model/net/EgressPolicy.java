package dev.vigil.model.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which addresses an outbound connection (a feed or page fetch, a webhook, Slack or SMTP
 * delivery) may go to. By default only public unicast addresses: every block of the IANA IPv4
 * and IPv6 Special-Purpose Address Registries is refused ({@link #REGISTRY}), and so are IPv4
 * multicast, IPv6 multicast and every IPv6 address outside {@code 2000::/3}, the only block
 * IANA allocates as global unicast. IPv6 forms that embed an IPv4 address are judged by the IPv4
 * address inside (mapped {@code ::ffff:0:0/96}, translated {@code ::ffff:0:0:0/96}, compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}); local-use NAT64
 * {@code 64:ff9b:1::/48} and Teredo {@code 2001::/32}, whose IPv4 end we cannot judge, are
 * refused. An operator opts internal hosts in with {@link #allowing}.
 *
 * <pre>{@code
 * EgressPolicy.publicOnly().allowing(List.of(Cidr.parse("10.20.0.0/16")))
 *         .refusal(InetAddress.getByName("::ffff:0:a9fe:a9fe"))   // Optional[METADATA]
 * }</pre>
 */
public record EgressPolicy(List<Cidr> allowed) {

    /** The kind of address refused: a bounded word, usable in messages and as a metric tag. */
    public enum Category {
        LOOPBACK, PRIVATE, LINK_LOCAL, METADATA, CGNAT, DOCUMENTATION, BENCHMARKING, SPECIAL, RESERVED, MULTICAST, BROADCAST, UNSPECIFIED;

        /** The lower-case word used in messages, e.g. {@code link-local}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One refused block: its range, kind, the registry's name for it and the defining RFC. */
    public record Block(Cidr cidr, Category category, String name, String rfc) {
        public Block {
            Objects.requireNonNull(cidr, "cidr");
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(rfc, "rfc");
        }
    }

    /** Cloud metadata endpoints, checked first so a refusal names them (they lie in blocks below). */
    private static final List<Block> METADATA = List.of(
            block("169.254.169.254/32", Category.METADATA, "cloud instance metadata (AWS, GCP, Azure, ...)", "-"),
            block("100.100.100.200/32", Category.METADATA, "Alibaba Cloud instance metadata", "-"),
            block("fd00:ec2::254/128", Category.METADATA, "AWS instance metadata over IPv6", "-"));

    /**
     * The IANA Special-Purpose Address Registries, every entry, transcribed from
     * https://www.iana.org/assignments/iana-ipv4-special-registry/ (IPv4, last updated 2025) and
     * https://www.iana.org/assignments/iana-ipv6-special-registry/ (IPv6, last updated
     * 2025-10-09), read 2026-12-01. The entries whose "globally reachable" is true (AS112, AMT,
     * anycast) are refused too: no news feed or alert receiver lives there. The IPv4-mapped block
     * and the NAT64 well-known prefix are not listed: they embed an IPv4 address and are judged
     * by it; 6to4 ({@code 2002::/16}) likewise.
     */
    public static final List<Block> REGISTRY = List.of(
            block("0.0.0.0/8", Category.UNSPECIFIED, "\"This network\"", "RFC 791"),
            block("0.0.0.0/32", Category.UNSPECIFIED, "\"This host on this network\"", "RFC 1122"),
            block("10.0.0.0/8", Category.PRIVATE, "Private-Use", "RFC 1918"),
            block("100.64.0.0/10", Category.CGNAT, "Shared Address Space", "RFC 6598"),
            block("127.0.0.0/8", Category.LOOPBACK, "Loopback", "RFC 1122"),
            block("169.254.0.0/16", Category.LINK_LOCAL, "Link Local", "RFC 3927"),
            block("172.16.0.0/12", Category.PRIVATE, "Private-Use", "RFC 1918"),
            block("192.0.0.0/24", Category.SPECIAL, "IETF Protocol Assignments", "RFC 6890"),
            block("192.0.0.0/29", Category.SPECIAL, "IPv4 Service Continuity Prefix", "RFC 7335"),
            block("192.0.0.8/32", Category.SPECIAL, "IPv4 dummy address", "RFC 7600"),
            block("192.0.0.9/32", Category.SPECIAL, "Port Control Protocol Anycast", "RFC 7723"),
            block("192.0.0.10/32", Category.SPECIAL, "Traversal Using Relays around NAT Anycast", "RFC 8155"),
            block("192.0.0.170/32", Category.SPECIAL, "NAT64/DNS64 Discovery", "RFC 8880"),
            block("192.0.0.171/32", Category.SPECIAL, "NAT64/DNS64 Discovery", "RFC 8880"),
            block("192.0.2.0/24", Category.DOCUMENTATION, "Documentation (TEST-NET-1)", "RFC 5737"),
            block("192.31.196.0/24", Category.SPECIAL, "AS112-v4", "RFC 7535"),
            block("192.52.193.0/24", Category.SPECIAL, "AMT", "RFC 7450"),
            block("192.88.99.0/24", Category.RESERVED, "Deprecated (6to4 Relay Anycast)", "RFC 7526"),
            block("192.168.0.0/16", Category.PRIVATE, "Private-Use", "RFC 1918"),
            block("192.175.48.0/24", Category.SPECIAL, "Direct Delegation AS112 Service", "RFC 7534"),
            block("198.18.0.0/15", Category.BENCHMARKING, "Benchmarking", "RFC 2544"),
            block("198.51.100.0/24", Category.DOCUMENTATION, "Documentation (TEST-NET-2)", "RFC 5737"),
            block("203.0.113.0/24", Category.DOCUMENTATION, "Documentation (TEST-NET-3)", "RFC 5737"),
            block("255.255.255.255/32", Category.BROADCAST, "Limited Broadcast", "RFC 8190"),
            block("240.0.0.0/4", Category.RESERVED, "Reserved", "RFC 1112"),

            block("::1/128", Category.LOOPBACK, "Loopback Address", "RFC 4291"),
            block("::/128", Category.UNSPECIFIED, "Unspecified Address", "RFC 4291"),
            block("64:ff9b:1::/48", Category.PRIVATE, "IPv4-IPv6 Translat. (local use)", "RFC 8215"),
            block("100::/64", Category.RESERVED, "Discard-Only Address Block", "RFC 6666"),
            block("100:0:0:1::/64", Category.RESERVED, "Dummy IPv6 Prefix", "RFC 9780"),
            block("2001::/32", Category.SPECIAL, "TEREDO", "RFC 4380"),
            block("2001:1::1/128", Category.SPECIAL, "Port Control Protocol Anycast", "RFC 7723"),
            block("2001:1::2/128", Category.SPECIAL, "Traversal Using Relays around NAT Anycast", "RFC 8155"),
            block("2001:1::3/128", Category.SPECIAL, "DNS-SD Service Registration Protocol Anycast", "RFC 9665"),
            block("2001:2::/48", Category.BENCHMARKING, "Benchmarking", "RFC 5180"),
            block("2001:3::/32", Category.SPECIAL, "AMT", "RFC 7450"),
            block("2001:4:112::/48", Category.SPECIAL, "AS112-v6", "RFC 7535"),
            block("2001:10::/28", Category.RESERVED, "Deprecated (previously ORCHID)", "RFC 4843"),
            block("2001:20::/28", Category.SPECIAL, "ORCHIDv2", "RFC 7343"),
            block("2001:30::/28", Category.SPECIAL, "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374"),
            block("2001::/23", Category.SPECIAL, "IETF Protocol Assignments", "RFC 2928"),
            block("2001:db8::/32", Category.DOCUMENTATION, "Documentation", "RFC 3849"),
            block("2620:4f:8000::/48", Category.SPECIAL, "Direct Delegation AS112 Service", "RFC 7534"),
            block("3fff::/20", Category.DOCUMENTATION, "Documentation", "RFC 9637"),
            block("5f00::/16", Category.SPECIAL, "Segment Routing (SRv6) SIDs", "RFC 9602"),
            block("fc00::/7", Category.PRIVATE, "Unique-Local", "RFC 4193"),
            block("fe80::/10", Category.LINK_LOCAL, "Link-Local Unicast", "RFC 4291"));

    /** Outside the special-purpose registries, refused all the same. */
    private static final List<Block> BEYOND = List.of(
            block("224.0.0.0/4", Category.MULTICAST, "IPv4 Multicast Address Space", "RFC 5771"),
            block("ff00::/8", Category.MULTICAST, "IPv6 Multicast Address Space", "RFC 4291"),
            block("fec0::/10", Category.PRIVATE, "Site-local (deprecated)", "RFC 3879"));

    /** The only IPv6 block IANA allocates as global unicast (IPv6 Address Space registry). */
    private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");
    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr TRANSLATED = Cidr.parse("::ffff:0:0:0/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    public EgressPolicy {
        allowed = List.copyOf(allowed);
    }

    /** Public addresses only: the default for every outbound connection. */
    public static EgressPolicy publicOnly() {
        return new EgressPolicy(List.of());
    }

    /** This policy, also allowing the given ranges (for internal hosts, the demo and tests). */
    public EgressPolicy allowing(List<Cidr> more) {
        return new EgressPolicy(Stream.concat(allowed.stream(), more.stream()).toList());
    }

    /** Why an address is refused, or empty when a connection may go to it. */
    public Optional<Category> refusal(InetAddress address) {
        Objects.requireNonNull(address, "address");
        Optional<Inet4Address> embedded = embeddedIpv4(address);
        InetAddress judged = embedded.<InetAddress>map(a -> a).orElse(address);
        if (isAllowed(address) || isAllowed(judged)) {
            return Optional.empty();
        }
        Optional<Category> listed = Stream.of(METADATA, REGISTRY, BEYOND).flatMap(List::stream)
                .filter(b -> b.cidr().contains(judged)).map(Block::category).findFirst();
        if (listed.isPresent() || judged instanceof Inet4Address) {
            return listed;
        }
        return GLOBAL_UNICAST.contains(judged) ? Optional.empty() : Optional.of(Category.RESERVED);
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
        if (isMapped(b) || TRANSLATED.contains(address) || NAT64.contains(address) || (COMPATIBLE.contains(address) && !isZeroOrOne(b))) {
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

    private static Block block(String cidr, Category category, String name, String rfc) {
        return new Block(Cidr.parse(cidr), category, name, rfc);
    }
}
