package dev.proxyline.server.http.realip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.Cidr;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.config.InetLiteral;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.ProxiedConnection;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RealIpTest {
    /** The trusted set from the ngx_http_realip_module documentation's example. */
    private static final List<Cidr> DOC_FROM = cidrs("192.168.1.0/24", "192.168.2.1", "2001:0db8::/32");

    static List<Cidr> cidrs(String... s) {
        return Arrays.stream(s).map(c -> Cidr.parse(c).orElseThrow()).toList();
    }

    static InetSocketAddress sock(String ip, int port) {
        return new InetSocketAddress(InetLiteral.parse(ip).orElseThrow(), port);
    }

    static RealIp.Result xff(boolean recursive, String peer, String... fields) {
        Headers h = Headers.of();
        for (String f : fields) h = h.with("X-Forwarded-For", f);
        return new RealIp(DOC_FROM, false, "X-Forwarded-For", recursive)
                .resolve(RealIp.Connection.direct(sock(peer, 40000)), h);
    }

    @Test
    void documentationExampleRecursiveTakesLastUntrustedAddress() {
        RealIp.Result r = xff(true, "192.168.1.10", "203.0.113.7, 192.168.2.1, 192.168.1.20");
        assertThat(r.remoteAddr()).isEqualTo("203.0.113.7");
        assertThat(r.remotePort()).isEmpty();
        assertThat(r.realipRemoteAddr()).isEqualTo("192.168.1.10");
        assertThat(r.realipRemotePort()).isEqualTo("40000");
        assertThat(r.changed()).isTrue();
    }

    @Test
    void documentationExampleWithoutRecursionTakesLastAddressEvenIfTrusted() {
        RealIp.Result r = xff(false, "192.168.1.10", "203.0.113.7, 192.168.2.1, 192.168.1.20");
        assertThat(r.remoteAddr()).isEqualTo("192.168.1.20");
    }

    @Test
    void recursiveWalkStopsAtFirstUntrustedAndIgnoresSpoofedLeftPart() {
        // The client wrote "1.1.1.1" itself; the first untrusted hop from the right is the truth.
        RealIp.Result r = xff(true, "192.168.1.10", "1.1.1.1, 198.51.100.9, 192.168.1.20");
        assertThat(r.remoteAddr()).isEqualTo("198.51.100.9");
    }

    @Test
    void recursiveWalkWhereEveryEntryIsTrustedEndsAtTheLeftmost() {
        RealIp.Result r = xff(true, "192.168.1.10", "192.168.1.30, 192.168.2.1");
        assertThat(r.remoteAddr()).isEqualTo("192.168.1.30");
    }

    @Test
    void severalFieldsAreOneListReadFromTheLastField() {
        RealIp.Result r = xff(true, "192.168.1.10", "203.0.113.7", "192.168.1.5, 192.168.1.6");
        assertThat(r.remoteAddr()).isEqualTo("203.0.113.7");
        assertThat(xff(false, "192.168.1.10", "203.0.113.7", "192.168.1.5, 192.168.1.6").remoteAddr())
                .isEqualTo("192.168.1.6");
    }

    @Test
    void untrustedPeerNeverChangesRemoteAddr() {
        RealIp.Result r = xff(true, "198.51.100.1", "203.0.113.7");
        assertThat(r.changed()).isFalse();
        assertThat(r.remoteAddr()).isEqualTo("198.51.100.1");
        assertThat(r.remotePort()).isEqualTo("40000");
        assertThat(r.realipRemoteAddr()).isEqualTo("198.51.100.1");
    }

    @Test
    void emptyTrustListTrustsNobody() {
        RealIp none = new RealIp(List.of(), false, "X-Real-IP", false);
        RealIp.Result r = none.resolve(RealIp.Connection.direct(sock("127.0.0.1", 1)), Headers.of("X-Real-IP", "1.2.3.4"));
        assertThat(r.remoteAddr()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // a malformed rightmost entry: nothing found, no change
            "203.0.113.7, garbage                 | 192.168.1.10",
            "203.0.113.7, unknown                 | 192.168.1.10",
            "203.0.113.7, 256.1.1.1               | 192.168.1.10",
            "203.0.113.7, 010.0.0.1               | 192.168.1.10",
            "203.0.113.7, [2001:db8::1]           | 192.168.1.10",
            "203.0.113.7, fe80::1%eth0            | 192.168.1.10",
            "203.0.113.7, 255.255.255.255         | 192.168.1.10",
            // garbage after a trusted entry: the walk ends on the last good (trusted) address
            "203.0.113.7, garbage, 192.168.1.20   | 192.168.1.20",
            // garbage left of an untrusted entry is never reached
            "garbage, 203.0.113.7, 192.168.1.20   | 203.0.113.7",
            // separators are commas and spaces, in any number
            "203.0.113.7,192.168.1.20,,  ,        | 203.0.113.7",
            "203.0.113.7 192.168.1.20             | 203.0.113.7",
            // ports are accepted, with brackets for IPv6
            "203.0.113.7:5555, 192.168.1.20       | 203.0.113.7",
            "[2001:db9::7]:5555, 192.168.1.20     | 2001:db9::7",
            "203.0.113.7:0, 192.168.1.20          | 192.168.1.20",
            "203.0.113.7:65536, 192.168.1.20      | 192.168.1.20",
    })
    void recursiveWalkWithGarbageStopsAsNginxDoes(String header, String expected) {
        assertThat(xff(true, "192.168.1.10", header).remoteAddr()).isEqualTo(expected);
    }

    @Test
    void portFromTheHeaderBecomesRemotePort() {
        RealIp.Result r = xff(true, "192.168.1.10", "[2001:db9::7]:5555");
        assertThat(r.remoteAddr()).isEqualTo("2001:db9::7");
        assertThat(r.remotePort()).isEqualTo("5555");
    }

    @Test
    void ipv6PeerAndChainUseTheIpv6Blocks() {
        RealIp.Result r = xff(true, "2001:db8::1", "2001:DB9:0:0:0:0:0:7, 2001:db8:ffff::2");
        assertThat(r.remoteAddr()).isEqualTo("2001:db9::7");
        assertThat(r.realipRemoteAddr()).isEqualTo("2001:db8::1");
    }

    @Test
    void v4MappedAddressesMatchIpv4BlocksAsInNginxCidrMatch() {
        // ngx_cidr_match reads ::ffff:a.b.c.d as a.b.c.d: a trusted proxy behind a dual-stack socket
        RealIp.Result r = xff(true, "::ffff:192.168.1.10", "203.0.113.7, ::ffff:192.168.1.20");
        assertThat(r.remoteAddr()).isEqualTo("203.0.113.7");
        assertThat(r.realipRemoteAddr()).isEqualTo("::ffff:192.168.1.10");
        // the mapped client keeps its IPv6 spelling in $remote_addr, as nginx prints it
        assertThat(xff(true, "192.168.1.10", "::ffff:203.0.113.7, 192.168.1.20").remoteAddr())
                .isEqualTo("::ffff:203.0.113.7");
        // and a mapped block is never matched, because the address is compared as IPv4
        RealIp mappedBlock = new RealIp(cidrs("::ffff:192.168.1.0/120"), false, "X-Forwarded-For", true);
        RealIp.Result none = mappedBlock.resolve(RealIp.Connection.direct(sock("::ffff:192.168.1.10", 1)),
                Headers.of("X-Forwarded-For", "203.0.113.7"));
        assertThat(none.changed()).isFalse();
    }

    @Test
    void connectionFromTheProxyStageOffersTheHeaderSource() {
        InetSocketAddress peer = sock("10.0.0.30", 41000);
        InetSocketAddress local = sock("10.0.0.40", 80);
        ProxyHeader header = ProxyHeader.tcp(ProtocolVersion.V1, sock("203.0.113.7", 51234), sock("10.0.0.40", 80));
        RealIp.Connection c = RealIp.Connection.of(
                ProxiedConnection.of(peer, local, HeaderPolicy.REQUIRE, Optional.of(header)));
        assertThat(c.peer()).isEqualTo(peer);
        assertThat(c.proxySource()).contains(sock("203.0.113.7", 51234));
        RealIp.Connection none = RealIp.Connection.of(
                ProxiedConnection.of(peer, local, HeaderPolicy.REQUIRE, Optional.of(ProxyHeader.local(ProtocolVersion.V2, List.of()))));
        assertThat(none.proxySource()).isEmpty();
    }

    @Test
    void xRealIpTakesOneAddressFromTheFirstField() {
        RealIp realIp = new RealIp(DOC_FROM, false, "X-Real-IP", true);
        RealIp.Connection c = RealIp.Connection.direct(sock("192.168.2.1", 9));
        assertThat(realIp.resolve(c, Headers.of("x-real-ip", "203.0.113.7", "X-Real-IP", "198.51.100.1")).remoteAddr())
                .isEqualTo("203.0.113.7");
        // nginx walks any real_ip_header value as a list, like one X-Forwarded-For field
        assertThat(realIp.resolve(c, Headers.of("X-Real-IP", "203.0.113.7, 192.168.1.4")).remoteAddr())
                .isEqualTo("203.0.113.7");
        RealIp flat = new RealIp(DOC_FROM, false, "X-Real-IP", false);
        assertThat(flat.resolve(c, Headers.of("X-Real-IP", "203.0.113.7, 192.168.1.4")).remoteAddr())
                .isEqualTo("192.168.1.4");
        assertThat(flat.resolve(c, Headers.of("X-Real-IP", "not-an-address")).changed()).isFalse();
        assertThat(realIp.resolve(c, Headers.of()).remoteAddr()).isEqualTo("192.168.2.1");
    }

    @Test
    void anyHeaderNameWorksCaseInsensitively() {
        RealIp realIp = new RealIp(DOC_FROM, false, "CF-Connecting-IP", false);
        RealIp.Result r = realIp.resolve(RealIp.Connection.direct(sock("192.168.2.1", 9)),
                Headers.of("cf-connecting-ip", "2001:db9::1"));
        assertThat(r.remoteAddr()).isEqualTo("2001:db9::1");
    }

    @Test
    void proxyProtocolModeTakesAddressAndPortFromTheHeaderOfATrustedBalancer() {
        RealIp realIp = new RealIp(cidrs("10.0.0.0/8"), false, "proxy_protocol", false);
        RealIp.Connection c = new RealIp.Connection(sock("10.0.0.30", 41000), Optional.of(sock("203.0.113.7", 51234)));
        // HTTP headers are ignored in this mode, even from a trusted peer
        RealIp.Result r = realIp.resolve(c, Headers.of("X-Forwarded-For", "1.1.1.1", "X-Real-IP", "1.1.1.1"));
        assertThat(r.remoteAddr()).isEqualTo("203.0.113.7");
        assertThat(r.remotePort()).isEqualTo("51234");
        assertThat(r.realipRemoteAddr()).isEqualTo("10.0.0.30");
        assertThat(r.realipRemotePort()).isEqualTo("41000");
    }

    @Test
    void proxyProtocolModeWithoutAHeaderKeepsThePeer() {
        RealIp realIp = new RealIp(cidrs("10.0.0.0/8"), false, "proxy_protocol", false);
        RealIp.Result r = realIp.resolve(RealIp.Connection.direct(sock("10.0.0.30", 41000)), Headers.of());
        assertThat(r.changed()).isFalse();
        assertThat(r.remoteAddr()).isEqualTo("10.0.0.30");
        assertThat(r.remotePort()).isEqualTo("41000");
    }

    @Test
    void proxyProtocolModeFromAnUntrustedPeerKeepsThePeer() {
        RealIp realIp = new RealIp(cidrs("10.0.0.0/8"), false, "proxy_protocol", false);
        RealIp.Connection c = new RealIp.Connection(sock("198.51.100.1", 41000), Optional.of(sock("203.0.113.7", 51234)));
        assertThat(realIp.resolve(c, Headers.of()).remoteAddr()).isEqualTo("198.51.100.1");
    }

    @Test
    void unixSocketPeerIsTrustedOnlyWithUnixSource() {
        UnixDomainSocketAddress unix = UnixDomainSocketAddress.of("/run/proxyline.sock");
        Headers h = Headers.of("X-Real-IP", "203.0.113.7");
        RealIp.Result without = new RealIp(DOC_FROM, false, "X-Real-IP", false).resolve(RealIp.Connection.direct(unix), h);
        assertThat(without.remoteAddr()).isEqualTo("unix:");
        assertThat(without.remotePort()).isEmpty();
        RealIp.Result with = new RealIp(DOC_FROM, true, "X-Real-IP", false).resolve(RealIp.Connection.direct(unix), h);
        assertThat(with.remoteAddr()).isEqualTo("203.0.113.7");
        assertThat(with.realipRemoteAddr()).isEqualTo("unix:");
    }

    @Test
    void buildsFromConfigSettings() {
        RealIp realIp = RealIp.of(new HttpSettings.RealIp(cidrs("10.0.0.0/8"), false, "proxy_protocol", false));
        assertThat(realIp.usesProxyProtocol()).isTrue();
        assertThat(realIp.trusts(sock("10.1.2.3", 1))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "0:0:0:0:0:0:0:1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            "::ffff:10.0.0.1, ::ffff:10.0.0.1",
            "FE80:0:0:0:0:0:0:0, fe80::",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "1:0:0:0:0:0:0:0, 1::",
            "0:0:0:0:0:0:0:2, ::2",
            "::1.2.3.4, ::1.2.3.4",
            "0:0:0:0:0:0:1:0, ::0.1.0.0",  // six leading zero groups read as IPv4-compatible, as nginx prints them
            "0:0:0:0:0:0:102:304, ::1.2.3.4",
            "0:0:0:0:ffff:0:0:1, ::ffff:0:0:1",
            "::ffff:0.0.0.0, ::ffff:0.0.0.0",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:0:8, 1:2:3:4:5:6:0:8",
    })
    void ipv6TextIsCanonical(String in, String out) {
        assertThat(AddressText.ip(InetLiteral.parse(in).orElseThrow())).isEqualTo(out);
    }
}
