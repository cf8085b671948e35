package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {
    @ParameterizedTest
    @CsvSource({"10.0.0.1,10.0.0.1", "::1,0:0:0:0:0:0:0:1", "2001:db8::7,2001:db8:0:0:0:0:0:7",
            "::ffff:1.2.3.4,0:0:0:0:0:ffff:102:304", "1::,1:0:0:0:0:0:0:0", "1:2:3:4:5:6:7:8,1:2:3:4:5:6:7:8", "::,0:0:0:0:0:0:0:0"})
    void parsesLiterals(String text, String expected) {
        assertThat(InetLiteral.parse(text)).map(InetAddress::getHostAddress).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "10.0.0", "10.0.0.256", "010.0.0.1", "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%eth0",
            "12345::", "", "example.com"})
    void rejectsNonLiteralsWithoutResolving(String text) {
        assertThat(InetLiteral.parse(text)).isEmpty();
    }

    @Test
    void anIpv4MappedNetworkStaysIpv6() {
        Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104").orElseThrow();

        assertThat(mapped.prefixLength()).isEqualTo(104);
        assertThat(InetLiteral.parse("::ffff:10.0.0.0")).get().isInstanceOf(java.net.Inet6Address.class);
    }

    @Test
    void cidrMasksHostBitsAndMatches() throws Exception {
        Cidr c = Cidr.parse("10.1.2.3/8").orElseThrow();
        assertThat(c.toString()).isEqualTo("10.0.0.0/8");
        assertThat(c.contains(InetAddress.getByAddress(new byte[] {10, 9, 9, 9}))).isTrue();
        assertThat(c.contains(InetAddress.getByAddress(new byte[] {11, 0, 0, 1}))).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").orElseThrow().prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("192.0.2.1").orElseThrow().prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
        assertThat(Cidr.parse("10.0.0.0/")).isEmpty();
        assertThat(Cidr.parse("lb.internal/8")).isEmpty();
    }

    @Test
    void endpointsKeepHostNamesUnresolved() {
        assertThat(AddressParser.endpoint("backend.svc:8080", OptionalInt.empty()).endpoint())
                .contains(new Endpoint.Host("backend.svc", 8080));
        assertThat(AddressParser.endpoint("[::1]:80", OptionalInt.empty()).endpoint().orElseThrow())
                .isInstanceOf(Endpoint.Inet.class);
        assertThat(AddressParser.endpoint("unix:/run/a.sock", OptionalInt.empty()).endpoint())
                .contains(new Endpoint.Unix("/run/a.sock"));
        assertThat(AddressParser.endpoint("10.0.0.1", OptionalInt.empty()).error()).isEqualTo("no port in \"10.0.0.1\"");
        assertThat(AddressParser.endpoint("10.0.0.1", OptionalInt.of(80)).endpoint().orElseThrow().toString())
                .isEqualTo("10.0.0.1:80");
        assertThat(AddressParser.endpoint("10.0.0.1:0", OptionalInt.empty()).endpoint()).isEmpty();
        assertThat(AddressParser.endpoint("10.0.0.300:80", OptionalInt.empty()).endpoint()).isEmpty();
        assertThat(AddressParser.endpoint("bad host:80", OptionalInt.empty()).endpoint()).isEmpty();
    }
}
