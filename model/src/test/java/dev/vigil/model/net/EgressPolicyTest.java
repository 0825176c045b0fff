package dev.vigil.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pure address logic: nothing here opens a socket. */
class EgressPolicyTest {

    private final EgressPolicy policy = EgressPolicy.publicOnly();

    @Test
    void refusesTheFirstMiddleAndLastAddressOfEveryRegistryBlock() throws UnknownHostException {
        for (EgressPolicy.Block b : EgressPolicy.REGISTRY) {
            for (InetAddress a : samples(b.cidr())) {
                assertThat(policy.refusal(a)).as(b.name() + " " + b.cidr() + ": " + a.getHostAddress()).isPresent();
            }
        }
    }

    @Test
    void refusesIpv6FormsThatEmbedAnInternalIpv4Address() throws UnknownHostException {
        assertThat(policy.refusal(v6("::ffff:0:a9fe:a9fe"))).as("IPv4-translated (SIIT) metadata").contains(EgressPolicy.Category.METADATA);
        assertThat(policy.refusal(v6("::ffff:0:7f00:1"))).as("IPv4-translated loopback").contains(EgressPolicy.Category.LOOPBACK);
        assertThat(policy.refusal(v6("::ffff:a9fe:a9fe"))).as("IPv4-mapped, kept as IPv6 bytes").contains(EgressPolicy.Category.METADATA);
        assertThat(policy.refusal(v6("::a00:1"))).as("IPv4-compatible 10.0.0.1").contains(EgressPolicy.Category.PRIVATE);
        assertThat(policy.refusal(v6("64:ff9b::a9fe:a9fe"))).as("NAT64 well-known prefix").contains(EgressPolicy.Category.METADATA);
        assertThat(policy.refusal(v6("64:ff9b:1::a9fe:a9fe"))).as("local-use NAT64, refused outright").isPresent();
        assertThat(policy.refusal(v6("64:ff9b:1:0:5db8:d822::"))).as("local-use NAT64 of a public address").isPresent();
        assertThat(policy.refusal(v6("2002:a9fe:a9fe::1"))).as("6to4 of the metadata address").contains(EgressPolicy.Category.METADATA);
        assertThat(policy.refusal(v6("2002:c0a8:0101::1"))).as("6to4 of 192.168.1.1").contains(EgressPolicy.Category.PRIVATE);
        assertThat(policy.refusal(v6("2001:0:4136:e378:8000:63bf:3fff:fdd2"))).as("Teredo").isPresent();
        assertThat(policy.refusal(InetAddress.getByName("::ffff:127.0.0.1"))).contains(EgressPolicy.Category.LOOPBACK);
    }

    @Test
    void judgesEmbeddedPublicIpv4AddressesByTheAddressInside() throws UnknownHostException {
        assertThat(policy.refusal(v6("64:ff9b::5db8:d822"))).as("NAT64 of 93.184.216.34").isEmpty();
        assertThat(policy.refusal(v6("2002:5db8:d822::1"))).as("6to4 of 93.184.216.34").isEmpty();
        assertThat(policy.refusal(v6("::ffff:0:5db8:d822"))).as("translated 93.184.216.34").isEmpty();
    }

    @Test
    void refusesIpv6OutsideGlobalUnicastAndMulticast() throws UnknownHostException {
        for (String a : List.of("ff02::1", "ff05::2", "fec0::1", "4000::1", "e000::1", "::2:0:0:1", "1::1", "224.0.0.1", "239.255.255.250")) {
            assertThat(policy.refusal(InetAddress.getByName(a))).as(a).isPresent();
        }
    }

    @Test
    void allowsPublicUnicast() throws UnknownHostException {
        for (String a : List.of("93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700::1111", "2a00:1450:4001:80b::200e", "192.0.1.1", "100.128.0.1")) {
            assertThat(policy.refusal(InetAddress.getByName(a))).as(a).isEmpty();
        }
    }

    @Test
    void anAllowListOpensOnlyItsRanges() throws UnknownHostException {
        EgressPolicy internal = policy.allowing(List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("127.0.0.1/32")));
        assertThat(internal.refusal(InetAddress.getByName("10.1.2.3"))).isEmpty();
        assertThat(internal.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(internal.refusal(InetAddress.getByName("127.0.0.2"))).contains(EgressPolicy.Category.LOOPBACK);
        assertThat(internal.refusal(InetAddress.getByName("10.2.0.1"))).contains(EgressPolicy.Category.PRIVATE);
        assertThat(internal.refusal(InetAddress.getByName("169.254.169.254"))).contains(EgressPolicy.Category.METADATA);
    }

    @Test
    void theGuardRefusesBeforeAskingDnsForALiteralAndDropsRefusedAnswers() throws UnknownHostException {
        AtomicInteger lookups = new AtomicInteger();
        List<InetAddress> answer = List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("93.184.216.34"));
        EgressGuard guard = new EgressGuard(policy, host -> {
            lookups.incrementAndGet();
            return answer;
        }, "list it under egress.allow");
        EgressGuard.Refused literal = catchThrowableOfType(EgressGuard.Refused.class, () -> guard.resolve("[::ffff:0:169.254.169.254]"));
        assertThat(literal.category()).isEqualTo(EgressPolicy.Category.METADATA);
        assertThat(literal.getMessage()).contains("a metadata address: refused (list it under egress.allow)");
        assertThat(lookups).hasValue(0);
        assertThat(guard.resolve("rebinding.example")).containsExactly(InetAddress.getByName("93.184.216.34"));
        EgressGuard onlyInternal = new EgressGuard(policy, host -> List.of(InetAddress.getByName("10.0.0.7")), "hint");
        assertThat(catchThrowableOfType(EgressGuard.Refused.class, () -> onlyInternal.resolve("intranet.example")).category())
                .isEqualTo(EgressPolicy.Category.PRIVATE);
    }

    /** The first, a middle and the last address of a block. */
    private static List<InetAddress> samples(Cidr cidr) throws UnknownHostException {
        byte[] n = cidr.network().getAddress();
        int bits = n.length * 8;
        BigInteger first = new BigInteger(1, n);
        BigInteger size = BigInteger.ONE.shiftLeft(bits - cidr.prefix());
        List<InetAddress> out = new ArrayList<>();
        for (BigInteger v : List.of(first, first.add(size.shiftRight(1)), first.add(size).subtract(BigInteger.ONE))) {
            out.add(address(v, n.length));
        }
        return out;
    }

    private static InetAddress address(BigInteger value, int length) throws UnknownHostException {
        byte[] raw = value.toByteArray();
        byte[] b = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, b, length - copy, copy);
        return length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
    }

    /** An IPv6 address kept as IPv6 even in the mapped form (as raw bytes from a DNS answer would be). */
    private static InetAddress v6(String literal) throws UnknownHostException {
        InetAddress parsed = InetAddress.getByName(literal);
        if (parsed instanceof Inet6Address) {
            return parsed;
        }
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(parsed.getAddress(), 0, b, 12, 4);
        return Inet6Address.getByAddress(null, b, -1);
    }

    @Test
    void blocksAreWrittenAsTheirNetworkAddress() {
        for (EgressPolicy.Block b : EgressPolicy.REGISTRY) {
            byte[] n = b.cidr().network().getAddress();
            byte[] masked = Arrays.copyOf(n, n.length);
            for (int bit = b.cidr().prefix(); bit < n.length * 8; bit++) {
                masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            assertThat(masked).as(b.cidr().toString()).isEqualTo(n);
        }
    }
}
