package dev.proxyline.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InetLiteralsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0.0.0, 00000000",
        "255.255.255.255, ffffffff",
        "192.0.2.1, c0000201",
        "10.0.0.10, 0a00000a",
        "1.20.199.250, 0114c7fa",
    })
    void parsesStrictIpv4(String text, String hex) {
        InetAddress address = InetLiterals.parse(text).orElseThrow();
        assertThat(address).isInstanceOf(Inet4Address.class);
        assertThat(HexFormat.of().formatHex(address.getAddress())).isEqualTo(hex);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1.2.3.00", "256.1.1.1", "1.2.3.999", "1.2.3.1000",
        "16909060", "0x1.2.3.4", "1..2.3", ".1.2.3", "1.2.3.", " 1.2.3.4", "1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "localhost",
        "example.com", "١.٢.٣.٤", "1.2.3.4/8", "1.2.3.4:80"})
    void refusesAnythingButFourDecimalOctetsWithoutLeadingZeros(String text) {
        assertThat(InetLiterals.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "::, 00000000000000000000000000000000",
        "::1, 00000000000000000000000000000001",
        "1::, 00010000000000000000000000000000",
        "ffff::, ffff0000000000000000000000000000",
        "2001:db8::1, 20010db8000000000000000000000001",
        "2001:DB8::A, 20010db800000000000000000000000a",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334, 20010db885a3000000008a2e03707334",
        "1050:0:0:0:5:600:300c:326b, 105000000000000000050600300c326b",
        "1:2:3:4:5:6:7:8, 00010002000300040005000600070008",
        "1:2:3:4:5:6:7::, 00010002000300040005000600070000",
        "::2:3:4:5:6:7:8, 00000002000300040005000600070008",
        "::ffff:1.2.3.4, 00000000000000000000ffff01020304",
        "::ffff:7f00:1, 00000000000000000000ffff7f000001",
        "::1.2.3.4, 00000000000000000000000001020304",
        "1:2:3:4:5:6:1.2.3.4, 00010002000300040005000601020304",
        "64:ff9b::192.0.2.33, 0064ff9b0000000000000000c0000221",
    })
    void parsesIpv6WithOneToFourDigitGroupsEitherCaseAndADottedTail(String text, String hex) {
        InetAddress address = InetLiterals.parse(text).orElseThrow();
        assertThat(address).as("an IPv4-mapped address stays IPv6").isInstanceOf(Inet6Address.class);
        assertThat(HexFormat.of().formatHex(address.getAddress())).isEqualTo(hex);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2:3:4:5:6:7:8",
        "12345::", "0ffff::", ":1::", "1::2:", "1:2:3:4:5:6:7:8:", ":1:2:3:4:5:6:7:8", "fe80::1%eth0", "[::1]", "::g",
        "1:2:3:4:5:6:7:1.2.3.4", "::ffff:1.2.3", "::ffff:01.2.3.4", "::ffff:256.1.1.1", "::1.2.3.4:5", "::ffff:1.2.3.4.",
        "1.2.3.4::", " ::1", "::1 ", "::-1", "::+1"})
    void refusesMalformedIpv6(String text) {
        assertThat(InetLiterals.parse(text)).isEmpty();
    }

    @Test
    void parseOrThrowNamesTheFieldAndTheText() {
        assertThatThrownBy(() -> InetLiterals.parseOrThrow("1.2.3", "set_real_ip_from"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set_real_ip_from").hasMessageContaining("\"1.2.3\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "00000000000000000000000000000000, ::",
        "00000000000000000000000000000001, ::1",
        "00010000000000000000000000000000, 1::",
        "20010db8000000000000000000000001, 2001:db8::1",
        "20010db885a3000000008a2e03707334, 2001:db8:85a3::8a2e:370:7334",
        // a single zero group is never shortened (RFC 5952 4.2.2)
        "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
        // the longest run wins
        "20010000000000010000000000000001, 2001:0:0:1::1",
        // of two equally long runs, the first (RFC 5952 4.2.3)
        "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
        "00000000000100000000000100000000, ::1:0:0:1:0:0",
        // lower case, no leading zeros
        "ABCD0DB800000000000000000000000A, abcd:db8::a",
        "00000000000000000000ffff7f000001, ::ffff:127.0.0.1",
        "00000000000000000000ffff00000000, ::ffff:0.0.0.0",
        "ffffffffffffffffffffffffffffffff, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "00010000000000000000000000000002, 1::2",
        "00010002000300040005000600070000, 1:2:3:4:5:6:7:0",
    })
    void formatsIpv6AsRfc5952Prescribes(String hex, String text) {
        InetAddress address = InetLiterals.ipv6(HexFormat.of().parseHex(hex.toLowerCase()));
        assertThat(InetLiterals.format(address)).isEqualTo(text);
        assertThat(InetLiterals.parse(text).orElseThrow()).as("and parses back").isEqualTo(address);
    }

    @Test
    void formatsIpv4AsDottedDecimal() {
        assertThat(InetLiterals.format(InetLiterals.ipv4(0xC0000201))).isEqualTo("192.0.2.1");
        assertThat(InetLiterals.format(InetLiterals.ipv4(0))).isEqualTo("0.0.0.0");
        assertThat(InetLiterals.format(InetLiterals.ipv4(-1))).isEqualTo("255.255.255.255");
    }

    @Test
    void formatNeverShowsAScopeId() throws Exception {
        byte[] linkLocal = HexFormat.of().parseHex("fe800000000000000000000000000001");
        assertThat(InetLiterals.format(Inet6Address.getByAddress(null, linkLocal, 3))).isEqualTo("fe80::1");
    }

    @Test
    void toIpv6MapsIpv4AndKeepsIpv6() {
        Inet6Address mapped = InetLiterals.toIpv6(InetLiterals.ipv4(0x7F000001));
        assertThat(HexFormat.of().formatHex(mapped.getAddress())).isEqualTo("00000000000000000000ffff7f000001");
        Inet6Address v6 = (Inet6Address) InetLiterals.parse("2001:db8::1").orElseThrow();
        assertThat(InetLiterals.toIpv6(v6)).isSameAs(v6);
    }
}
