package dev.proxyline.server.http.realip;

import static dev.proxyline.server.http.realip.RealIpTest.cidrs;
import static dev.proxyline.server.http.realip.RealIpTest.sock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.HttpSettings.HeaderRule;
import dev.proxyline.config.InetLiteral;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
    private static final RealIp BEHIND_L7 = new RealIp(cidrs("10.0.0.0/8"), false, "X-Forwarded-For", true);
    private static final RealIp BEHIND_L4 = new RealIp(cidrs("10.0.0.0/8"), false, "proxy_protocol", false);

    private static final Headers SPOOFED = Headers.of(
            "Host", "app.example",
            "X-Forwarded-For", "1.1.1.1",
            "X-Real-IP", "1.1.1.1",
            "x-forwarded-host", "evil.example",
            "X-Forwarded-Port", "1",
            "X-Forwarded-Proto", "https",
            "X-Forwarded-Scheme", "https",
            "X-Scheme", "https",
            "X-Request-ID", "attacker-chosen",
            "X-Original-URI", "/admin",
            "X-Original-Forwarded-For", "1.1.1.1",
            "Forwarded", "for=1.1.1.1",
            "Accept", "*/*");

    private static ForwardedHeaders headers(ForwardedHeaders.Options options) {
        return new ForwardedHeaders(options, new Random(7));
    }

    private static ForwardedHeaders.Request request(RealIp realIp, RealIp.Connection c, Headers h) {
        return ForwardedHeaders.Request.of(realIp, c, h, "http", "app.example", 80, "/path?q=1");
    }

    private static ForwardedHeaders.Options full() {
        return new ForwardedHeaders.Options(true, true, true, Optional.empty(), List.of());
    }

    @Test
    void spoofedHeadersFromAnUntrustedClientAreStrippedAndReplaced() {
        RealIp.Connection c = RealIp.Connection.direct(sock("203.0.113.7", 5555));
        for (ForwardedHeaders.Options o : List.of(ForwardedHeaders.Options.ingressNginxDefaults(), full())) {
            Headers out = headers(o).upstream(request(BEHIND_L7, c, SPOOFED));
            assertThat(out.all("X-Forwarded-For")).containsExactly("203.0.113.7");
            assertThat(out.all("X-Real-IP")).containsExactly("203.0.113.7");
            assertThat(out.all("X-Forwarded-Host")).containsExactly("app.example");
            assertThat(out.all("X-Forwarded-Port")).containsExactly("80");
            assertThat(out.all("X-Forwarded-Proto")).containsExactly("http");
            assertThat(out.all("X-Forwarded-Scheme")).containsExactly("http");
            assertThat(out.all("X-Scheme")).containsExactly("http");
            assertThat(out.all("X-Original-URI")).containsExactly("/path?q=1");
            assertThat(out.all("X-Request-ID")).singleElement().asString().matches("[0-9a-f]{32}");
            assertThat(out.contains("X-Original-Forwarded-For")).isFalse();
            assertThat(out.contains("Forwarded")).isFalse();
            assertThat(out.all("Accept")).containsExactly("*/*");
            assertThat(out.all("host")).containsExactly("app.example");
        }
    }

    @Test
    void ingressNginxDefaultIgnoresForwardedHeadersEvenFromATrustedProxy() {
        RealIp.Connection c = RealIp.Connection.direct(sock("10.0.0.5", 5555));
        Headers in = Headers.of("X-Forwarded-For", "203.0.113.7, 10.0.0.9", "X-Forwarded-Proto", "https",
                "X-Request-ID", "abc123");
        Headers out = headers(ForwardedHeaders.Options.ingressNginxDefaults()).upstream(request(BEHIND_L7, c, in));
        // realip still walks the trusted chain; X-Forwarded-For is just $remote_addr
        assertThat(out.all("X-Real-IP")).containsExactly("203.0.113.7");
        assertThat(out.all("X-Forwarded-For")).containsExactly("203.0.113.7");
        assertThat(out.all("X-Forwarded-Proto")).containsExactly("http");
        assertThat(out.all("X-Request-ID")).containsExactly("abc123");
        assertThat(out.all("X-Original-Forwarded-For")).containsExactly("203.0.113.7, 10.0.0.9");
    }

    @Test
    void fullForwardedForAppendsTheHopToATrustedChain() {
        RealIp.Connection c = RealIp.Connection.direct(sock("10.0.0.5", 5555));
        Headers in = Headers.of("X-Forwarded-For", "203.0.113.7", "X-Forwarded-For", "10.0.0.9",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "public.example", "X-Forwarded-Port", "443");
        Headers out = headers(full()).upstream(request(BEHIND_L7, c, in));
        assertThat(out.all("X-Forwarded-For")).containsExactly("203.0.113.7, 10.0.0.9, 10.0.0.5");
        assertThat(out.all("X-Real-IP")).containsExactly("203.0.113.7");
        assertThat(out.all("X-Forwarded-Proto")).containsExactly("https");
        assertThat(out.all("X-Scheme")).containsExactly("https");
        assertThat(out.all("X-Forwarded-Host")).containsExactly("public.example");
        assertThat(out.all("X-Forwarded-Port")).containsExactly("443");
    }

    @Test
    void behindAnL4BalancerTheHttpHopIsTheProxyHeaderSource() {
        // The balancer is trusted, but it writes no HTTP: the headers are the client's own.
        RealIp.Connection c = new RealIp.Connection(sock("10.0.0.30", 41000), Optional.of(sock("203.0.113.7", 51234)));
        Headers out = headers(full()).upstream(request(BEHIND_L4, c, SPOOFED));
        assertThat(out.all("X-Real-IP")).containsExactly("203.0.113.7");
        assertThat(out.all("X-Forwarded-For")).containsExactly("203.0.113.7");
        assertThat(out.all("X-Forwarded-Proto")).containsExactly("http");
        assertThat(out.contains("Forwarded")).isFalse();
    }

    @Test
    void proxyHeaderFromAnUntrustedPeerIsNotTheHop() {
        RealIp.Connection c = new RealIp.Connection(sock("198.51.100.1", 41000), Optional.of(sock("10.0.0.1", 1)));
        ForwardedHeaders.Request r = request(BEHIND_L4, c, Headers.of());
        assertThat(r.hop()).isEqualTo(sock("198.51.100.1", 41000));
        assertThat(r.hopTrusted()).isFalse();
    }

    @Test
    void requestIdIsGeneratedFromTheInjectedRandomAndInsaneIdsAreReplaced() {
        RealIp.Connection c = RealIp.Connection.direct(sock("10.0.0.5", 5555));
        ForwardedHeaders fh = headers(ForwardedHeaders.Options.ingressNginxDefaults());
        String a = fh.upstream(request(BEHIND_L7, c, Headers.of())).first("X-Request-ID").orElseThrow();
        String b = headers(ForwardedHeaders.Options.ingressNginxDefaults())
                .upstream(request(BEHIND_L7, c, Headers.of())).first("X-Request-ID").orElseThrow();
        assertThat(a).matches("[0-9a-f]{32}").isEqualTo(b);
        String bad = fh.upstream(request(BEHIND_L7, c, Headers.of("X-Request-ID", "a, b"))).first("X-Request-ID").orElseThrow();
        assertThat(bad).matches("[0-9a-f]{32}");
    }

    @Test
    void requestIdIsTwoDrawsOfTheGeneratorAsLowerCaseHexMostSignificantDigitFirst() {
        long[] draws = {0x0123456789abcdefL, 0xfedcba9876543210L};
        int[] next = {0};
        assertThat(ForwardedHeaders.requestId(() -> draws[next[0]++]))
                .isEqualTo("0123456789abcdeffedcba9876543210");
        assertThat(ForwardedHeaders.requestId(() -> 0L)).isEqualTo("0".repeat(32));
    }

    @Test
    void proxySetHeaderOverridesAndEmptyValueRemoves() {
        RealIp.Connection c = RealIp.Connection.direct(sock("203.0.113.7", 5555));
        ForwardedHeaders.Options o = ForwardedHeaders.Options.ingressNginxDefaults().withSetHeaders(List.of(
                new HeaderRule("x-real-ip", "rendered"),
                new HeaderRule("X-Original-URI", ""),
                new HeaderRule("Accept", ""),
                new HeaderRule("X-Custom", "1")));
        Headers out = headers(o).upstream(request(BEHIND_L7, c, SPOOFED));
        assertThat(out.all("X-Real-IP")).containsExactly("rendered");
        assertThat(out.contains("X-Original-URI")).isFalse();
        assertThat(out.contains("Accept")).isFalse();
        assertThat(out.all("X-Custom")).containsExactly("1");
    }

    @Test
    void fieldsTheLocationsRulesWriteAreLeftToThemAndTheRequestIdIsStillDecided() {
        RealIp.Connection c = RealIp.Connection.direct(sock("203.0.113.7", 5555));
        ForwardedHeaders leaving = new ForwardedHeaders(ForwardedHeaders.Options.ingressNginxDefaults(), new Random(7),
                ForwardedHeaders.Field.named(List.of("x-real-ip", "X-REQUEST-ID", "X-Unrelated")));
        List<String> edits = new ArrayList<>();
        String id = leaving.upstream(request(BEHIND_L7, c, SPOOFED), new ForwardedHeaders.Edits() {
            @Override
            public void remove(String name) {
                edits.add("-" + name);
            }

            @Override
            public void add(String name, String value) {
                edits.add("+" + name);
            }
        });
        // The rules replace or remove those two after this class: it neither strips nor adds them.
        assertThat(edits).doesNotContain("-X-Real-IP", "+X-Real-IP", "-X-Request-ID", "+X-Request-ID")
                .contains("-X-Forwarded-For", "+X-Forwarded-For", "+X-Original-URI");
        // $request_id is the id the field would have carried: the same draws of the same generator.
        Headers all = headers(ForwardedHeaders.Options.ingressNginxDefaults()).upstream(request(BEHIND_L7, c, SPOOFED));
        assertThat(id).matches("[0-9a-f]{32}").isEqualTo(all.first("X-Request-ID").orElseThrow());
    }

    @Test
    void forwardedIsAppendedToATrustedHopsElements() {
        RealIp.Connection c = RealIp.Connection.direct(sock("10.0.0.5", 5555));
        ForwardedHeaders.Options o = ForwardedHeaders.Options.ingressNginxDefaults().withForwarded(
                new ForwardedHeaders.Rfc7239(ForwardedHeaders.ForStyle.ADDRESS, Optional.of(new ForwardedNode.Obfuscated("_proxyline"))));
        Headers in = Headers.of("Forwarded", "for=203.0.113.7;proto=https", "Forwarded", "for=10.0.0.9");
        Headers out = headers(o).upstream(ForwardedHeaders.Request.of(BEHIND_L7, c, in, "https", "app.example:8443", 8443, "/"));
        assertThat(out.all("Forwarded")).containsExactly(
                "for=203.0.113.7;proto=https, for=10.0.0.9, for=10.0.0.5;by=_proxyline;proto=https;host=\"app.example:8443\"");
    }

    @Test
    void forwardedFromAnUntrustedClientIsReplaced() {
        RealIp.Connection c = RealIp.Connection.direct(sock("2001:db8::7", 5555));
        ForwardedHeaders.Options o = ForwardedHeaders.Options.ingressNginxDefaults().withForwarded(
                new ForwardedHeaders.Rfc7239(ForwardedHeaders.ForStyle.ADDRESS_AND_PORT, Optional.empty()));
        Headers out = headers(o).upstream(request(BEHIND_L7, c, SPOOFED));
        assertThat(out.all("Forwarded")).containsExactly("for=\"[2001:db8::7]:5555\";proto=http;host=app.example");
    }

    @Test
    void forwardedPassesThroughFromATrustedHopWhenDisabledAndIsStrippedOtherwise() {
        Headers in = Headers.of("Forwarded", "for=203.0.113.7");
        ForwardedHeaders fh = headers(ForwardedHeaders.Options.ingressNginxDefaults());
        assertThat(fh.upstream(request(BEHIND_L7, RealIp.Connection.direct(sock("10.0.0.5", 1)), in)).all("Forwarded"))
                .containsExactly("for=203.0.113.7");
        assertThat(fh.upstream(request(BEHIND_L7, RealIp.Connection.direct(sock("203.0.113.9", 1)), in)).contains("Forwarded"))
                .isFalse();
    }

    @Test
    void forwardedNodesFormatAsRfc7239() {
        assertThat(new ForwardedNode.Ip(InetLiteral.parse("192.0.2.60").orElseThrow(), 0).render()).isEqualTo("192.0.2.60");
        assertThat(new ForwardedNode.Ip(InetLiteral.parse("192.0.2.43").orElseThrow(), 47011).render())
                .isEqualTo("\"192.0.2.43:47011\"");
        assertThat(new ForwardedNode.Ip(InetLiteral.parse("2001:db8:cafe:0:0:0:0:17").orElseThrow(), 0).render())
                .isEqualTo("\"[2001:db8:cafe::17]\"");
        assertThat(new ForwardedNode.Ip(InetLiteral.parse("::ffff:192.0.2.1").orElseThrow(), 80).render())
                .isEqualTo("\"[::ffff:192.0.2.1]:80\"");
        assertThat(new ForwardedNode.Obfuscated("_hidden").render()).isEqualTo("_hidden");
        assertThat(new ForwardedNode.Unknown().render()).isEqualTo("unknown");
        assertThatThrownBy(() -> new ForwardedNode.Obfuscated("hidden")).hasMessageContaining("expected \"_\"");
        assertThatThrownBy(() -> new ForwardedNode.Obfuscated("_a b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ForwardedHeaders.tokenOrQuoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void forwardedHidesOrMarksUnknownClients() {
        RealIp trustsUnix = new RealIp(cidrs("10.0.0.0/8"), true, "X-Real-IP", false);
        ForwardedHeaders.Rfc7239 hidden = new ForwardedHeaders.Rfc7239(ForwardedHeaders.ForStyle.HIDDEN, Optional.empty());
        ForwardedHeaders.Rfc7239 plain = new ForwardedHeaders.Rfc7239(ForwardedHeaders.ForStyle.ADDRESS, Optional.empty());
        ForwardedHeaders.Request tcp = request(BEHIND_L7, RealIp.Connection.direct(sock("203.0.113.7", 1)), Headers.of());
        ForwardedHeaders.Request unix = request(trustsUnix,
                RealIp.Connection.direct(UnixDomainSocketAddress.of("/run/x.sock")), Headers.of());
        assertThat(ForwardedHeaders.element(hidden, tcp)).isEqualTo("for=_hidden;proto=http;host=app.example");
        assertThat(ForwardedHeaders.element(plain, unix)).isEqualTo("for=unknown;proto=http;host=app.example");
    }

    @Test
    void headerModelIsOrderedAndCaseInsensitive() {
        Headers h = Headers.of("A", "1", "b", "2", "a", "3");
        assertThat(h.all("a")).containsExactly("1", "3");
        assertThat(h.set("B", "x").fields()).extracting(Headers.Field::name).containsExactly("A", "a", "B");
        assertThat(h.without("A").fields()).hasSize(1);
        assertThatThrownBy(() -> Headers.of("odd")).isInstanceOf(IllegalArgumentException.class);
    }
}
