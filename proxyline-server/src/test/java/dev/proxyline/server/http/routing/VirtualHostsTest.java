package dev.proxyline.server.http.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.HttpAction;
import dev.proxyline.config.HttpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtualHostsTest {
    /** Each server answers "return 200 NAME", so a test names the server it expects by that text. */
    private static String label(HttpServer s) {
        return s.serverReturn().flatMap(HttpAction.Return::textOrUrl).orElseThrow();
    }

    private static String chosen(VirtualHosts hosts, String host) {
        HostRoute r = hosts.select(host);
        assertThat(r).as(host).isInstanceOf(HostRoute.Server.class);
        return label(((HostRoute.Server) r).server());
    }

    private static HostRoute.Via via(VirtualHosts hosts, String host) {
        return ((HostRoute.Server) hosts.select(host)).via();
    }

    private static final VirtualHosts ORDER = new VirtualHosts("*:80", Configs.servers("""
            server { listen 80; server_name first; return 200 first; }
            server { listen 80; server_name ~^www\\d+\\.example\\.net$ ~^(mail|smtp)\\. ; return 200 regex1; }
            server { listen 80; server_name www.example.org example.org; return 200 exact; }
            server { listen 80; server_name *.example.org; return 200 star-example; }
            server { listen 80; server_name *.www.example.org; return 200 star-www; }
            server { listen 80; server_name mail.*; return 200 mail-star; }
            server { listen 80; server_name mail.example.*; return 200 mail-example-star; }
            server { listen 80; server_name ~example ; return 200 regex2; }
            server { listen 80; server_name .example.com; return 200 dot-example-com; }
            server { listen 8080; server_name other-port; return 200 other-port; }
            """));

    @ParameterizedTest
    @CsvSource({
            "www.example.org, exact, EXACT",
            "example.org, exact, EXACT",
            "WWW.Example.ORG, exact, EXACT",
            "www.example.org., exact, EXACT",
            "www.example.org:8080, exact, EXACT",
            "www.example.org.:80, exact, EXACT",
            "a.example.org, star-example, LEADING_WILDCARD",
            "a.b.example.org, star-example, LEADING_WILDCARD",
            "a.www.example.org, star-www, LEADING_WILDCARD",
            "x.y.www.example.org, star-www, LEADING_WILDCARD",
            "mail.example.org, star-example, LEADING_WILDCARD",
            "mail.example.net, mail-example-star, TRAILING_WILDCARD",
            "mail.example.co.uk, mail-example-star, TRAILING_WILDCARD",
            "mail.other.net, mail-star, TRAILING_WILDCARD",
            "MAIL.Other.Net, mail-star, TRAILING_WILDCARD",
            "smtp.example.net, regex1, REGEX",
            "www12.example.net, regex1, REGEX",
            "WWW12.EXAMPLE.NET:443, regex1, REGEX",
            "www.example.net, regex2, REGEX",
            "example.com, dot-example-com, LEADING_WILDCARD",
            "a.b.example.com, dot-example-com, LEADING_WILDCARD",
            "other-port, first, DEFAULT",
            "unknown.test, first, DEFAULT",
            "example.org.uk, regex2, REGEX",
            "[::1]:80, first, DEFAULT",
            "192.0.2.1, first, DEFAULT",
    })
    void followsNginxsServerNameOrder(String host, String expected, HostRoute.Via via) {
        assertThat(chosen(ORDER, host)).isEqualTo(expected);
        assertThat(via(ORDER, host)).isEqualTo(via);
    }

    @Test
    void theLongestLeadingWildcardWinsWhateverTheDeclarationOrder() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name *.org; return 200 org; }
                server { listen 80; server_name *.example.org; return 200 example; }
                server { listen 80; server_name www.*; return 200 www; }
                """));
        assertThat(chosen(hosts, "www.example.org")).isEqualTo("example");
        assertThat(chosen(hosts, "www.other.org")).isEqualTo("org");
        assertThat(chosen(hosts, "www.example.com")).isEqualTo("www");
    }

    @Test
    void eachKindOfNameMatchesWhenTheOtherKindsAreAbsent() {
        VirtualHosts trailingOnly = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name fallback; return 200 fallback; }
                server { listen 80; server_name mail.*; return 200 mail; }
                """));
        assertThat(chosen(trailingOnly, "mail.example.org")).isEqualTo("mail");
        assertThat(via(trailingOnly, "mail.example.org")).isEqualTo(HostRoute.Via.TRAILING_WILDCARD);
        assertThat(chosen(trailingOnly, "www.mail.org")).isEqualTo("fallback");

        VirtualHosts leadingOnly = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name fallback; return 200 fallback; }
                server { listen 80; server_name *.example.org; return 200 example; }
                """));
        assertThat(chosen(leadingOnly, "www.example.org")).isEqualTo("example");
        assertThat(chosen(leadingOnly, "example.org.net")).isEqualTo("fallback");

        VirtualHosts regexOnly = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name fallback; return 200 fallback; }
                server { listen 80; server_name ~^www\\.; return 200 www; }
                """));
        assertThat(chosen(regexOnly, "www.example.org")).isEqualTo("www");
        assertThat(via(regexOnly, "www.example.org")).isEqualTo(HostRoute.Via.REGEX);
        assertThat(chosen(regexOnly, "example.org")).isEqualTo("fallback");
        assertThat(via(regexOnly, "example.org")).isEqualTo(HostRoute.Via.DEFAULT);
    }

    @Test
    void theDefaultServerFlagBeatsTheFirstServer() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name a.test; return 200 a; }
                server { listen 80 default_server; server_name b.test; return 200 b; }
                """));
        assertThat(chosen(hosts, "c.test")).isEqualTo("b");
        assertThat(label(hosts.defaultServer())).isEqualTo("b");
        assertThat(chosen(hosts, "a.test")).isEqualTo("a");
    }

    @Test
    void onlyServersListeningOnTheSameSocketAreCandidates() {
        List<HttpServer> servers = Configs.servers("""
                server { listen 80; server_name wild.test; return 200 wild; }
                server { listen 127.0.0.1:80; server_name local.test; return 200 local; }
                server { listen 127.0.0.1:80; listen 8080 default_server; server_name both.test; return 200 both; }
                """);
        Map<String, VirtualHosts> byListen = VirtualHosts.byListen(servers);
        assertThat(byListen.keySet()).containsExactly("*:80", "127.0.0.1:80", "*:8080");
        VirtualHosts local = byListen.get("127.0.0.1:80");
        assertThat(chosen(local, "wild.test")).isEqualTo("local");
        assertThat(chosen(local, "both.test")).isEqualTo("both");
        assertThat(local.servers()).hasSize(2);
        assertThat(chosen(byListen.get("*:80"), "local.test")).isEqualTo("wild");
        assertThat(chosen(byListen.get("*:8080"), "anything")).isEqualTo("both");
        assertThatThrownBy(() -> new VirtualHosts("*:81", servers)).hasMessageContaining("*:81");
    }

    @Test
    void theEmptyNameMatchesRequestsWithoutHost() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80 default_server; server_name example.org; return 200 named; }
                server { listen 80; server_name www.example.org ""; return 200 empty; }
                """));
        assertThat(hosts.selectWithoutHost()).isEqualTo(new HostRoute.Server(hosts.servers().get(1), HostRoute.Via.EXACT));
    }

    @Test
    void aServerWithoutServerNameHasTheEmptyName() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name example.org; return 200 named; }
                server { listen 80; return 200 unnamed; }
                """));
        assertThat(label(((HostRoute.Server) hosts.selectWithoutHost()).server())).isEqualTo("unnamed");
        assertThat(chosen(hosts, "other.test")).isEqualTo("named");
    }

    @Test
    void withoutAnEmptyNameARequestWithoutHostGoesToTheDefault() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name a.test; return 200 a; }
                server { listen 80 default_server; server_name b.test; return 200 b; }
                """));
        HostRoute.Server r = (HostRoute.Server) hosts.selectWithoutHost();
        assertThat(label(r.server())).isEqualTo("b");
        assertThat(r.via()).isEqualTo(HostRoute.Via.DEFAULT);
    }

    @Test
    void theFirstServerDeclaringANameKeepsIt() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name dup.test *.w.test; return 200 one; }
                server { listen 80; server_name dup.test *.w.test; return 200 two; }
                """));
        assertThat(chosen(hosts, "dup.test")).isEqualTo("one");
        assertThat(chosen(hosts, "x.w.test")).isEqualTo("one");
    }

    @ParameterizedTest
    @CsvSource(value = {
            "a/b.test|\"/\"",
            "a..test|\"..\"",
            "..|\"..\"",
            "a b|control",
            "a\tb|control",
            "|empty",
            ".|empty",
            ":80|empty",
    }, delimiter = '|')
    void malformedHostsAreABadRequest(String host, String reason) {
        HostRoute r = ORDER.select(host == null ? "" : host);
        assertThat(r).isInstanceOf(HostRoute.BadHost.class);
        assertThat(((HostRoute.BadHost) r).reason()).contains(reason);
    }

    @Test
    void lookupsReturnSharedResultsInsteadOfAllocating() {
        assertThat(ORDER.select("a.example.org")).isSameAs(ORDER.select("B.example.org"));
        assertThat(ORDER.select("nowhere")).isSameAs(ORDER.select("elsewhere:80"));
    }

    @Test
    void invalidServerNamesAreRejectedAllAtOnce() {
        List<HttpServer> servers = Configs.servers("""
                server { listen 80; server_name www.*.example.org ~[ ; return 200 x; }
                """);
        assertThatThrownBy(() -> new VirtualHosts("*:80", servers))
                .hasMessageContaining("invalid server_name wildcard \"www.*.example.org\"")
                .hasMessageContaining("invalid server_name regex \"~[\"");
    }

    @Test
    void regexesSeeTheLowerCasedHostAndUpperCaseInAPatternMakesItCaseless() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name ~^API\\.; return 200 upper; }
                server { listen 80; server_name ~^(?<sub>[a-z]+)\\.test$; return 200 lower; }
                """));
        assertThat(chosen(hosts, "api.example.org")).isEqualTo("upper");
        assertThat(chosen(hosts, "Api.Example.Org")).isEqualTo("upper");
        assertThat(chosen(hosts, "WWW.TEST")).isEqualTo("lower");
        assertThat(via(hosts, "WWW.TEST:80")).isEqualTo(HostRoute.Via.REGEX);
    }

    @Test
    void aLeadingWildcardDoesNotMatchTheBareDomainButTheDotFormDoes() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name fallback; return 200 fallback; }
                server { listen 80; server_name *.star.test .dot.test; return 200 wild; }
                """));
        assertThat(chosen(hosts, "star.test")).isEqualTo("fallback");
        assertThat(chosen(hosts, "a.star.test")).isEqualTo("wild");
        assertThat(chosen(hosts, "dot.test")).isEqualTo("wild");
        assertThat(chosen(hosts, "a.dot.test")).isEqualTo("wild");
        assertThat(chosen(hosts, "xdot.test")).isEqualTo("fallback");
    }

    @Test
    void anEmptyRegexIsRejected() {
        List<HttpServer> servers = Configs.servers("server { listen 80; server_name ~; return 200 x; }");
        assertThatThrownBy(() -> new VirtualHosts("*:80", servers)).hasMessageContaining("empty regex");
    }

    @Test
    void followsTheServerNamesDocumentationExamples() {
        VirtualHosts hosts = new VirtualHosts("*:80", Configs.servers("""
                server { listen 80; server_name ""; return 200 no-host; }
                server { listen 80; server_name example.com *.example.com www.example.*; return 200 example; }
                server { listen 80; server_name ~^(?<user>.+)\\.example\\.net$; return 200 user; }
                server { listen 80 default_server; server_name _; return 200 catch-all; }
                """));
        assertThat(label(((HostRoute.Server) hosts.selectWithoutHost()).server())).isEqualTo("no-host");
        assertThat(chosen(hosts, "example.com")).isEqualTo("example");
        assertThat(chosen(hosts, "www.example.com")).isEqualTo("example");
        assertThat(chosen(hosts, "www.example.org")).isEqualTo("example");
        assertThat(chosen(hosts, "alice.example.net")).isEqualTo("user");
        assertThat(chosen(hosts, "example.net")).isEqualTo("catch-all");
        assertThat(chosen(hosts, "_")).isEqualTo("catch-all");
    }
}
