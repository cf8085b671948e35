package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.Position;
import dev.proxyline.config.Redirects;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.variables.VariableTable;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * proxy_cookie_flags on the Set-Cookie fields an upstream sent, each expectation what nginx 1.22 was seen to send for
 * the same lines and fields.
 */
class CookieFlagsTest {
    private static final Position AT = new Position("test.conf", 1, 1);
    /** What the upstream sent, in its order. */
    private static final List<String> SENT = List.of("a=1", "b=2; Path=/; secure; HttpOnly",
            "C=3;samesite=lax;  Secure ;x", "nameonly; secure", "d=4; SameSite=Strict; secure; secure",
            "ee=5; samesite=strict", "=6; path=/");

    private static Redirects.CookieFlags line(String cookie, String... flags) {
        boolean regex = cookie.startsWith("~");
        return new Redirects.CookieFlags(regex, regex ? cookie.substring(1) : cookie, List.of(flags), AT);
    }

    /** The fields as the client gets them through {@code lines}. */
    private static List<String> through(Redirects.CookieFlags... lines) {
        List<String> problems = new ArrayList<>();
        RedirectRewrite r = RedirectRewrite.of(new Redirects(true, false, true, List.of(), List.of(), List.of(),
                List.of(lines)), VariableTable.http(ZoneId.of("UTC"), "host", 1), "test: ", problems);
        assertThat(problems).isEmpty();
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String cookie : SENT) headers.add(HttpHeaderNames.SET_COOKIE, cookie);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.9", 40000);
        RequestFacts facts = new RequestFacts(new HttpConnection(1, peer, new InetSocketAddress("127.0.0.1", 8080),
                Optional.empty(), Optional.empty(), HttpConnection.HTTP_1_1), 0, 0, new DefaultHttpHeaders(),
                new RealIp.Result(peer, peer, false));
        r.upstream(headers, facts, 0);
        return headers.getAll(HttpHeaderNames.SET_COOKIE);
    }

    @Test
    void flagsAreAddedKeptAndDroppedByTheFirstLineForTheName() {
        assertThat(through(line("a", "secure", "httponly", "samesite=strict"), line("B", "nosecure", "nohttponly"),
                line("~^c", "samesite=none"), line("~^(d|ee)$", "nosamesite", "secure"), line("nameonly", "nosecure"),
                line("", "secure"))).containsExactly(
                "a=1; Secure; HttpOnly; SameSite=Strict",
                "b=2; Path=/",
                "C=3; SameSite=None; Secure; x",
                "nameonly; secure",
                "d=4; secure; secure",
                "ee=5; Secure",
                "=6; path=/; Secure");
    }

    @Test
    void aRegexForEveryCookieRewritesEachOneEvenWhereNothingChanged() {
        assertThat(through(line("~", "secure", "samesite=lax"))).containsExactly(
                "a=1; Secure; SameSite=Lax",
                "b=2; Path=/; secure; HttpOnly; SameSite=Lax",
                "C=3; samesite=lax; Secure; x",
                "nameonly; secure",
                "d=4; SameSite=Lax; secure; secure",
                "ee=5; SameSite=Lax; Secure",
                "=6; path=/; Secure; SameSite=Lax");
    }

    @Test
    void aLineWithoutKnownFlagsStopsTheSearchAndOnFlagsWinOverTheirNoForms() {
        assertThat(through(line("a", "bogus"), line("a", "secure"),
                line("b", "samesite=strict", "samesite=lax", "nosamesite"), line("c", "samesite=lax"),
                line("d", "nosecure", "secure"))).containsExactly(
                "a=1",
                "b=2; Path=/; secure; HttpOnly; SameSite=Strict",
                "C=3; samesite=lax; Secure; x",
                "nameonly; secure",
                "d=4; SameSite=Strict; secure",
                "ee=5; samesite=strict",
                "=6; path=/");
    }

    @Test
    void flagNamesAreReadWithoutCase() {
        assertThat(CookieFlags.bit("SameSite=NONE")).isEqualTo(CookieFlags.NONE);
        assertThat(CookieFlags.bit("NoSecure")).isEqualTo(CookieFlags.NO_SECURE);
        assertThat(CookieFlags.bit("")).isZero();
        assertThat(CookieFlags.bit("samesite")).isZero();
    }
}
