package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Cidr and TrustPolicy: plain Java, no network. */
class PolicyTest {

    private static InetAddress mapped(String v4) throws Exception {
        byte[] four = ip(v4).getAddress();
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xFF;
        raw[11] = (byte) 0xFF;
        System.arraycopy(four, 0, raw, 12, 4);
        return Inet6Address.getByAddress(null, raw, -1);
    }

    @Test
    void cidrsAreParsedFromLiteralsOnly() {
        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(new Cidr(ip("10.0.0.0"), 8));
        assertThat(Cidr.parse("2001:db8::/32").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("127.0.0.7").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("::1").prefixLength()).isEqualTo(128);
        for (String bad : new String[] {"localhost", "localhost/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08",
                "10.0.0.0/+8", "1.2.3/24", "010.0.0.0/8", "[::1]/128", "fe80::1%eth0/64", "::/129"}) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected");
        }
    }

    @Test
    void aCidrWithHostBitsSetIsRefusedWithTheNetworkToWriteInstead() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8")).hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void aMappedCidrDenotesTheIpv4Network() {
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    }

    @Test
    void containsComparesOnlyThePrefixAndTheFamily() throws Exception {
        Cidr net = Cidr.parse("10.0.0.0/8");
        assertThat(net.contains(ip("10.255.1.2"))).isTrue();
        assertThat(net.contains(ip("11.0.0.0"))).isFalse();
        assertThat(net.contains(mapped("10.1.2.3"))).as("IPv4-mapped peer").isTrue();
        assertThat(Cidr.parse("::/0").contains(ip("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("2001:db8::/33").contains(ip("2001:db8:7fff::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/33").contains(ip("2001:db8:8000::1"))).isFalse();
    }

    @Test
    void unmatchedSourcesAreRejectedByDefault() {
        TrustPolicy policy = TrustPolicy.builder().trust("10.0.0.0/8").build();
        assertThat(policy.policyFor(ip("10.0.0.1"))).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy.policyFor(ip("192.0.2.1"))).isEqualTo(HeaderPolicy.REJECT);
        assertThat(policy.policyFor(null)).as("no IP peer").isEqualTo(HeaderPolicy.REJECT);
    }

    @Test
    void theMostSpecificPrefixWinsWhateverTheOrderOfTheRules() throws Exception {
        TrustPolicy policy = TrustPolicy.builder()
                .rule("10.1.2.0/24", HeaderPolicy.REJECT)
                .trust("10.0.0.0/8")
                .rule("10.1.0.0/16", HeaderPolicy.OPTIONAL)
                .otherwise(HeaderPolicy.IGNORE)
                .build();
        assertThat(policy.policyFor(ip("10.9.9.9"))).isEqualTo(HeaderPolicy.REQUIRE);
        assertThat(policy.policyFor(ip("10.1.9.9"))).isEqualTo(HeaderPolicy.OPTIONAL);
        assertThat(policy.policyFor(ip("10.1.2.9"))).isEqualTo(HeaderPolicy.REJECT);
        assertThat(policy.policyFor(mapped("10.1.2.9"))).isEqualTo(HeaderPolicy.REJECT);
        assertThat(policy.policyFor(ip("192.0.2.1"))).isEqualTo(HeaderPolicy.IGNORE);
    }

    @Test
    void optionalCannotBeTheDefaultBecauseTheSpecForbidsGuessing() {
        assertThatThrownBy(() -> TrustPolicy.builder().otherwise(HeaderPolicy.OPTIONAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("guessing");
    }

    @Test
    void theSameNetworkTwiceIsAnError() {
        assertThatThrownBy(() -> TrustPolicy.builder().trust("10.0.0.0/8").rule("10.0.0.0/8", HeaderPolicy.IGNORE))
                .hasMessageContaining("10.0.0.0/8");
    }
}
