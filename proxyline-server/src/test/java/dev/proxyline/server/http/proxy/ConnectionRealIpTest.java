package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.proxyline.config.Cidr;
import dev.proxyline.config.InetLiteral;
import dev.proxyline.server.http.realip.ForwardedHeaders;
import dev.proxyline.server.http.realip.Headers;
import dev.proxyline.server.http.realip.RealIp;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** realip's per-connection answers: kept where they cannot change, recomputed where they can. */
class ConnectionRealIpTest {
    private static final RealIp FROM_PROXY_PROTOCOL = new RealIp(cidrs("10.0.0.0/8"), false, "proxy_protocol", false);
    private static final RealIp FROM_XFF = new RealIp(cidrs("10.0.0.0/8", "203.0.113.0/24"), false, "X-Forwarded-For", true);
    private static final RealIp TRUSTS_NOBODY = new RealIp(cidrs("192.0.2.0/24"), false, "X-Forwarded-For", true);

    private final ConnectionRealIp behindL4 = new ConnectionRealIp(
            new RealIp.Connection(sock("10.0.0.30", 41000), Optional.of(sock("203.0.113.7", 51234))));

    private static List<Cidr> cidrs(String... s) {
        return Arrays.stream(s).map(c -> Cidr.parse(c).orElseThrow()).toList();
    }

    private static InetSocketAddress sock(String ip, int port) {
        return new InetSocketAddress(InetLiteral.parse(ip).orElseThrow(), port);
    }

    @Test
    void theProxyHeadersClientIsKeptForTheConnectionWithoutReadingHeaders() {
        RealIp.Result first = behindL4.resolve(FROM_PROXY_PROTOCOL, () -> fail("headers read"));
        RealIp.Result second = behindL4.resolve(FROM_PROXY_PROTOCOL, () -> fail("headers read"));
        assertThat(first.remoteAddr()).isEqualTo("203.0.113.7");
        assertThat(second).isSameAs(first);
    }

    @Test
    void aModuleThatReadsHeadersResolvesEachRequestAfterAnotherLocationsModule() {
        behindL4.resolve(FROM_PROXY_PROTOCOL, Headers::of);
        RealIp.Result a = behindL4.resolve(FROM_XFF, () -> Headers.of("X-Forwarded-For", "198.51.100.1"));
        RealIp.Result b = behindL4.resolve(FROM_XFF, () -> Headers.of("X-Forwarded-For", "198.51.100.2"));
        assertThat(a.remoteAddr()).isEqualTo("198.51.100.1");
        assertThat(b.remoteAddr()).isEqualTo("198.51.100.2");
        assertThat(behindL4.resolve(FROM_PROXY_PROTOCOL, Headers::of).remoteAddr()).isEqualTo("203.0.113.7");
    }

    @Test
    void theHopAndItsTrustFollowTheModuleAskedAbout() {
        RealIp.Result client = behindL4.resolve(FROM_PROXY_PROTOCOL, Headers::of);
        ForwardedHeaders.Request trusted = behindL4.request(FROM_PROXY_PROTOCOL, client, Headers.of(), "http", "a", "80", "/");
        assertThat(trusted.hop()).isEqualTo(sock("203.0.113.7", 51234));
        assertThat(trusted.hopTrusted()).isFalse(); // the PROXY source itself is not in set_real_ip_from
        ForwardedHeaders.Request untrusted = behindL4.request(TRUSTS_NOBODY, client, Headers.of(), "http", "a", "80", "/");
        assertThat(untrusted.hop()).isEqualTo(sock("10.0.0.30", 41000)); // an unverified PROXY header names nobody
        assertThat(untrusted.hopTrusted()).isFalse();
        ForwardedHeaders.Request viaXff = behindL4.request(FROM_XFF, client, Headers.of(), "http", "a", "80", "/");
        assertThat(viaXff.hop()).isEqualTo(sock("203.0.113.7", 51234));
        assertThat(viaXff.hopTrusted()).isTrue();
    }
}
