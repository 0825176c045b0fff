package dev.vigil.model.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An address range such as {@code 10.0.0.0/8}, {@code fd00::/8} or a single address
 * ({@code 127.0.0.1} is {@code 127.0.0.1/32}).
 *
 * <pre>{@code
 * Cidr.parse("169.254.0.0/16").contains(InetAddress.getByName("169.254.169.254")) // true
 * }</pre>
 */
public record Cidr(InetAddress network, int prefix) {

    /** Only address literals: parsing a range must never trigger a DNS lookup. */
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix: expected 0 to " + bits + ", found " + prefix);
        }
    }

    /** Parses {@code ADDRESS[/PREFIX]}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!LITERAL.matcher(address).matches()) {
            throw new IllegalArgumentException("expected an IP address or range such as 10.0.0.0/8 or fd00::/8, found '" + text + "'");
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("expected an IP address or range such as 10.0.0.0/8 or fd00::/8, found '" + text + "'", e);
        }
        int bits = network.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a prefix length after '/', found '" + text + "'", e);
            }
        }
        return new Cidr(network, prefix);
    }

    /** Whether the address lies in this range (an IPv4 range never contains an IPv6 address). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (n[full] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
