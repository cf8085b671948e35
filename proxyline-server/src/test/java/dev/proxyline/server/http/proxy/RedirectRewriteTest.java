package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.Position;
import dev.proxyline.config.Redirects;
import dev.proxyline.config.Redirects.ProxyRedirect.Kind;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.variables.VariableTable;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rules of RedirectUrl and RedirectRewrite, checked against what nginx 1.22 was seen to send. */
class RedirectRewriteTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.9", 40000);
    private static final Position AT = new Position("test.conf", 1, 1);

    private static RequestFacts facts(InetSocketAddress local, String host, boolean hostSent) {
        HttpConnection connection = new HttpConnection(1, PEER, local, Optional.empty(), Optional.empty(),
                HttpConnection.HTTP_1_1);
        RequestFacts facts = new RequestFacts(connection, 0, 0, new DefaultHttpHeaders(),
                new RealIp.Result(PEER, PEER, false));
        facts.host = host;
        facts.hostSent = hostSent;
        facts.serverName = "named.test";
        return facts;
    }

    private static RequestFacts facts() {
        return facts(new InetSocketAddress("127.0.0.1", 8080), "h", true);
    }

    private static RedirectRewrite rules(Redirects.ProxyRedirect... rules) {
        List<String> problems = new ArrayList<>();
        RedirectRewrite r = RedirectRewrite.of(new Redirects(true, false, true, List.of(rules)),
                VariableTable.http(ZoneId.of("UTC"), "host", 1), "test: ", problems);
        assertThat(problems).isEmpty();
        return r;
    }

    private static Redirects.ProxyRedirect rule(Kind kind, String pattern, String replacement) {
        return new Redirects.ProxyRedirect(kind, pattern, replacement, AT);
    }

    private static HttpHeaders upstream(RedirectRewrite r, String name, String value) {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Other", "1");
        if (name != null) headers.add(name, value);
        r.upstream(headers, facts(), 0);
        return headers;
    }

    @Test
    void ownRedirectsGetTheHostAndTheLocalPortUnlessItIsTheSchemes() {
        RedirectUrl url = RedirectUrl.DEFAULTS;
        assertThat(url.location("/x", facts())).isEqualTo("http://h:8080/x");
        assertThat(url.location("/x", facts(new InetSocketAddress("127.0.0.1", 80), "h", true)))
                .isEqualTo("http://h/x");
        assertThat(url.location("x", facts())).as("nginx leaves what is no path alone").isEqualTo("x");
        assertThat(url.location("https://e.test/x", facts())).isEqualTo("https://e.test/x");
        assertThat(url.location("/x", facts(new InetSocketAddress("127.0.0.1", 8080), "named.test", false)))
                .as("without Host: the local address, as nginx").isEqualTo("http://127.0.0.1:8080/x");
        assertThat(url.location("/x", facts(new InetSocketAddress("::1", 8080), "named.test", false)))
                .isEqualTo("http://::1:8080/x");
        assertThat(new RedirectUrl(false, false, true).location("/x", facts())).isEqualTo("/x");
        assertThat(new RedirectUrl(true, false, false).location("/x", facts())).isEqualTo("http://h/x");
        assertThat(new RedirectUrl(true, true, true).location("/x", facts())).isEqualTo("http://named.test:8080/x");
    }

    @Test
    void behindAProxyHeaderThePortIsTheSocketsOwnAsNginxs() {
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8443);
        ProxyHeader header = ProxyHeader.tcp(ProtocolVersion.V1, new InetSocketAddress("192.0.2.1", 1111),
                new InetSocketAddress("192.0.2.2", 443));
        HttpConnection connection = new HttpConnection(1, PEER, local,
                Optional.of(ProxiedConnection.of(PEER, local, HeaderPolicy.REQUIRE, Optional.of(header))),
                Optional.empty(), HttpConnection.HTTP_1_1);
        assertThat(connection.proxied().orElseThrow().destination()).isEqualTo(header.destinationAddress().orElseThrow());
        RequestFacts facts = new RequestFacts(connection, 0, 0, new DefaultHttpHeaders(),
                new RealIp.Result(PEER, PEER, false));
        facts.host = "h";
        facts.hostSent = true;
        assertThat(RedirectUrl.DEFAULTS.location("/x", facts)).isEqualTo("http://h:8443/x");
    }

    @Test
    void aTextRuleReplacesTheStartItMatchesCaseSensitivelyAndTheResultIsMadeAbsolute() {
        RedirectRewrite r = rules(rule(Kind.LITERAL_PREFIX, "http://up/", "/app/"),
                rule(Kind.PREFIX, "http://", "https://$host/"));
        assertThat(upstream(r, "Location", "http://up/uri/z").get("Location")).isEqualTo("http://h:8080/app/uri/z");
        assertThat(upstream(r, "Location", "http://UP/x").get("Location")).as("the second rule")
                .isEqualTo("https://h/UP/x");
        assertThat(upstream(r, "Location", "/rel").get("Location")).as("no rule matches").isEqualTo("/rel");
    }

    @Test
    void aRegexReplacesTheWholeValueWithItsCaptures() {
        RedirectRewrite r = rules(rule(Kind.REGEX_CASELESS, "/URI/(.*)$", "/R/$1?h=$host"));
        assertThat(upstream(r, "Location", "http://up/uri/z?a=1").get("Location"))
                .isEqualTo("http://h:8080/R/z?a=1?h=h");
    }

    @Test
    void refreshIsRewrittenAfterItsUrlEqualsAndNotMadeAbsolute() {
        RedirectRewrite r = rules(rule(Kind.LITERAL_PREFIX, "http://up/", "/"));
        assertThat(upstream(r, "Refresh", "5; URL=http://up/y").get("Refresh")).isEqualTo("5; URL=/y");
        assertThat(upstream(r, "Refresh", "5").get("Refresh")).isEqualTo("5");
        assertThat(RedirectRewrite.indexOfUrl("0;uRl=/a")).isEqualTo(6);
    }

    @Test
    void withoutRulesOrWithoutTheFieldsNothingChanges() {
        HttpHeaders headers = upstream(RedirectRewrite.NONE, "Location", "http://up/x");
        assertThat(headers.get("Location")).isEqualTo("http://up/x");
        RedirectRewrite r = rules(rule(Kind.LITERAL_PREFIX, "http://up/", "/"));
        assertThat(upstream(r, null, null).names()).containsExactly("X-Other");
        assertThat(RedirectRewrite.of(new Redirects(true, false, true, List.of()),
                VariableTable.http(ZoneId.of("UTC"), "host", 1), "", new ArrayList<>())).isSameAs(RedirectRewrite.NONE);
    }

    @Test
    void anUnknownVariableIsAProblemNamingWhere() {
        List<String> problems = new ArrayList<>();
        assertThat(RedirectRewrite.of(new Redirects(true, false, true, List.of(rule(Kind.PREFIX, "http://$nope/", "/"))),
                VariableTable.http(ZoneId.of("UTC"), "host", 1), "test.conf:3:5: ", problems)).isNull();
        assertThat(problems).singleElement().asString().startsWith("test.conf:3:5: proxy_redirect: ")
                .contains("nope");
    }

    private static RedirectRewrite cookies(List<Redirects.ProxyRedirect> domains, List<Redirects.ProxyRedirect> paths) {
        List<String> problems = new ArrayList<>();
        RedirectRewrite r = RedirectRewrite.of(new Redirects(true, false, true, List.of(), domains, paths, List.of()),
                VariableTable.http(ZoneId.of("UTC"), "host", 1), "test: ", problems);
        assertThat(problems).isEmpty();
        return r;
    }

    @Test
    void setCookieDomainAndPathAttributesAreRewrittenAndTheFieldWrittenAnewAsNginxs() {
        RedirectRewrite r = cookies(List.of(rule(Kind.DOMAIN, "up.test", "$host")),
                List.of(rule(Kind.REGEX, "^/(o)ther$", "/$1/x"), rule(Kind.PREFIX, "/uri/", "/app/")));
        assertThat(upstream(r, "Set-Cookie", "a=1; Domain=.Up.Test; Path=/uri/x;  HttpOnly").get("Set-Cookie"))
                .isEqualTo("a=1; Domain=.h; Path=/app/x; HttpOnly");
        assertThat(upstream(r, "Set-Cookie", "b=2;path=/other ; domain=up.test").get("Set-Cookie"))
                .isEqualTo("b=2; path=/o/x; domain=h");
        assertThat(upstream(r, "Set-Cookie", "d=4; xdomain=up.test;  Path=/elsewhere").get("Set-Cookie"))
                .as("nothing changed: the field as sent").isEqualTo("d=4; xdomain=up.test;  Path=/elsewhere");
        assertThat(upstream(r, "Set-Cookie", "flag; Path=/uri/").get("Set-Cookie"))
                .as("a first part without = is left alone, as nginx").isEqualTo("flag; Path=/uri/");
        assertThat(upstream(r, "Set-Cookie", "c=3").get("Set-Cookie")).isEqualTo("c=3");
    }
}
