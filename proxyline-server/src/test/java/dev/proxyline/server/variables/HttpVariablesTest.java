package dev.proxyline.server.variables;

import static dev.proxyline.server.variables.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.netty.HeaderPolicy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpVariablesTest {

    private static boolean found(String name, SessionSnapshot session) {
        StringBuilder out = new StringBuilder();
        boolean found = Exchanges.table().require(name).appendTo(session, out);
        if (!found) {
            assertThat(out).as("a variable that is not found appends nothing").isEmpty();
        }
        return found;
    }

    @Test
    void requestLineAndItsParts() {
        Exchanges x = Exchanges.get().method("POST").target("/a/b?x=1&Y=2");
        assertThat(x.render("$request|$request_method|$request_uri|$uri|$document_uri|$args|$query_string|$is_args"))
                .isEqualTo("POST /a/b?x=1&Y=2 HTTP/1.1|POST|/a/b?x=1&Y=2|/a/b|/a/b|x=1&Y=2|x=1&Y=2|?");
    }

    @Test
    void argsAreNotFoundWithoutQuestionMarkAndEmptyAfterABareOne() {
        assertThat(found("args", Exchanges.get().target("/x").snapshot())).isFalse();
        assertThat(found("query_string", Exchanges.get().target("/x").snapshot())).isFalse();
        assertThat(found("args", Exchanges.get().target("/x?").snapshot())).isTrue();
        assertThat(Exchanges.get().target("/x?").render("[$args][$is_args]")).isEqualTo("[][]");
        assertThat(Exchanges.get().target("/x").render("[$is_args]")).isEqualTo("[]");
    }

    @Test
    void argNameMatchesAWholeNameIgnoringCaseAndKeepsTheValueUndecoded() {
        SessionSnapshot s = Exchanges.get().target("/?a=1&bb=2&B=%20x&c&d=").snapshot();
        assertThat(Exchanges.render("$arg_a|$arg_b|$arg_BB|$arg_d|", s)).isEqualTo("1|%20x|2||");
        assertThat(found("arg_c", s)).as("a name without = is no argument").isFalse();
        assertThat(found("arg_d", s)).isTrue();
        assertThat(found("arg_zz", s)).isFalse();
        assertThat(found("arg_a", Exchanges.get().target("/x").snapshot())).isFalse();
    }

    @Test
    void httpNameMatchesHeadersIgnoringCaseWithUnderscoresForDashes() {
        SessionSnapshot s = Exchanges.get().header("User-Agent", "curl/8.5.0").header("X-Custom-ID", "42").snapshot();
        assertThat(Exchanges.render("$http_user_agent|$HTTP_X_CUSTOM_ID|$http_x_custom_id", s))
                .isEqualTo("curl/8.5.0|42|42");
        assertThat(found("http_referer", s)).isFalse();
        assertThat(found("http_user", s)).as("no prefix match").isFalse();
    }

    @Test
    void repeatedHeadersAreJoinedWithCommaAndCookiesWithSemicolon() {
        SessionSnapshot s = Exchanges.get().header("X-Forwarded-For", "192.0.2.1").header("Accept", "a/b")
                .header("x-forwarded-for", "192.0.2.2, 192.0.2.3").header("Cookie", "a=1")
                .header("Cookie", "b=2").snapshot();
        assertThat(Exchanges.render("$http_x_forwarded_for|$http_cookie", s))
                .isEqualTo("192.0.2.1, 192.0.2.2, 192.0.2.3|a=1; b=2");
    }

    @Test
    void sentHttpNameReadsTheResponseHeaders() {
        SessionSnapshot s = Exchanges.get().header("Content-Type", "text/plain").sent("Content-Type", "text/html")
                .sent("Set-Cookie", "a=1").sent("Set-Cookie", "b=2").snapshot();
        assertThat(Exchanges.render("$sent_http_content_type|$sent_http_set_cookie|$content_type", s))
                .isEqualTo("text/html|a=1, b=2|text/plain");
        assertThat(found("sent_http_location", s)).isFalse();
    }

    @Test
    void cookieNameFindsTheFirstPairInEveryCookieHeader() {
        SessionSnapshot s = Exchanges.get().header("Cookie", "xa=0; a=1; session = abc ;Theme=dark")
                .header("Cookie", "late=2").snapshot();
        assertThat(Exchanges.render("$cookie_a|$cookie_session|$cookie_theme|$cookie_late", s))
                .isEqualTo("1|abc |dark|2");
        assertThat(found("cookie_x", s)).isFalse();
        assertThat(found("cookie_a", Exchanges.get().snapshot())).isFalse();
    }

    @Test
    void hostSchemeServerNameAndProtocol() {
        SessionSnapshot s = Exchanges.get().header("Host", "Example.com:8080").snapshot();
        assertThat(Exchanges.render("$host|$http_host|$scheme|[$https]|$server_name|$server_protocol", s))
                .isEqualTo("example.com|Example.com:8080|http|[]|example.com|HTTP/1.1");
    }

    @Test
    void http2RequestLineSaysHttp2() {
        assertThat(Exchanges.get().h2().target("/h2?q").render("$request|$server_protocol"))
                .isEqualTo("GET /h2?q HTTP/2.0|HTTP/2.0");
    }

    @Test
    void responseCountersAndTimes() {
        Exchanges x = Exchanges.get().response(200, 612, 850).requestLength(78);
        assertThat(x.render("$status|$body_bytes_sent|$bytes_sent|$request_length|$request_time|$msec"))
                .isEqualTo("200|612|850|78|0.003|1795654923.456");
        assertThat(Exchanges.get().render("$status")).isEqualTo("000");
    }

    @Test
    void remoteAddrIsTheExchangeRealipResultAndRealipRemoteAddrWhereItStarted() {
        assertThat(Exchanges.get().render("$remote_addr:$remote_port $realip_remote_addr:$realip_remote_port"))
                .isEqualTo("203.0.113.7:51234 10.0.0.5:40000");
    }

    @Test
    void proxyAddXForwardedForAppendsTheClientToTheReceivedChain() {
        assertThat(Exchanges.get().header("X-Forwarded-For", "192.0.2.1").header("X-Forwarded-For", "192.0.2.2")
                .render("$proxy_add_x_forwarded_for")).isEqualTo("192.0.2.1, 192.0.2.2, 203.0.113.7");
        assertThat(Exchanges.get().render("$proxy_add_x_forwarded_for")).isEqualTo("203.0.113.7");
    }

    @Test
    void remoteUserIsTheBasicCredentialsUserOrNotFound() {
        // dXNlcjpwYXNz = "user:pass"
        assertThat(Exchanges.get().header("Authorization", "basic  dXNlcjpwYXNz").render("$remote_user"))
                .isEqualTo("user");
        assertThat(found("remote_user", Exchanges.get().snapshot())).isFalse();
        assertThat(found("remote_user", Exchanges.get().header("Authorization", "Bearer dXNlcjpwYXNz").snapshot()))
                .isFalse();
        assertThat(found("remote_user", Exchanges.get().header("Authorization", "Basic !!!").snapshot())).isFalse();
        // OnBhc3M= = ":pass", an empty user
        assertThat(found("remote_user", Exchanges.get().header("Authorization", "Basic OnBhc3M=").snapshot())).isFalse();
        // dXNlcg== = "user" without a colon
        assertThat(found("remote_user", Exchanges.get().header("Authorization", "Basic dXNlcg==").snapshot())).isFalse();
    }

    @Test
    void upstreamVariablesListEveryAttemptWithDashesForUnknownValues() {
        SessionSnapshot s = Sessions.direct().upstream(UpstreamAttempt.failed("10.1.0.1:80"))
                .upstream(UpstreamAttempt.connected("10.1.0.2:80", 2).finished(15, 2500, 300, 4000))
                .http(Exchanges.get().upstreamStatuses(0, 200).build()).snapshot(NOW);
        assertThat(Exchanges.render("$upstream_addr|$upstream_status|$upstream_connect_time|$upstream_header_time"
                + "|$upstream_response_time", s))
                .isEqualTo("10.1.0.1:80, 10.1.0.2:80|502, 200|-, 0.002|-, 0.015|-, 2.500");
    }

    @Test
    void aLaterExchangesAttemptsComeAfterAColonAsNginxSeparatesAnErrorPagesRequest() {
        SessionSnapshot s = Sessions.direct().upstream(UpstreamAttempt.failed("10.1.0.1:80"))
                .upstream(UpstreamAttempt.failed("10.1.0.2:80")).upstream(UpstreamAttempt.LATER_EXCHANGE)
                .upstream(UpstreamAttempt.connected("10.1.0.3:80", 2).finished(15, 20, 300, 4000))
                .http(Exchanges.get().upstreamStatuses(502, 502, 0, 200).build()).snapshot(NOW);
        assertThat(Exchanges.render("$upstream_addr|$upstream_status|$upstream_connect_time|$upstream_bytes_received", s))
                .isEqualTo("10.1.0.1:80, 10.1.0.2:80 : 10.1.0.3:80|502, 502 : 200|-, - : 0.002|0, 0 : 4000");
    }

    @Test
    void upstreamStatusIsDashWithoutResponseAndKeepsAnExplicitGatewayTimeout() {
        SessionSnapshot s = Sessions.direct().upstream(UpstreamAttempt.connected("10.1.0.1:80", 1))
                .upstream(UpstreamAttempt.connected("10.1.0.2:80", 1))
                .upstream(UpstreamAttempt.failed("10.1.0.3:80"))
                .http(Exchanges.get().upstreamStatuses(504).build()).snapshot(NOW);
        assertThat(Exchanges.render("$upstream_status", s)).isEqualTo("504, -, 502");
        assertThat(found("upstream_status", Exchanges.get().snapshot())).isFalse();
        assertThat(found("upstream_response_time", Exchanges.get().snapshot())).isFalse();
    }

    @Test
    void tlsVariablesOverTlsAndNotFoundOnAPlainConnection() {
        TlsFacts facts = new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.of("example.com"), Optional.of("h2"));
        assertThat(Exchanges.get().tls(facts).h2().render("$https|$scheme|$ssl_protocol|$ssl_cipher|$ssl_server_name"
                + "|$ssl_alpn_protocol")).isEqualTo("on|https|TLSv1.3|TLS_AES_128_GCM_SHA256|example.com|h2");
        TlsFacts bare = new TlsFacts("TLSv1.2", "c", Optional.empty(), Optional.empty());
        SessionSnapshot noSni = Exchanges.get().tls(bare).snapshot();
        assertThat(found("ssl_server_name", noSni)).isTrue();
        assertThat(Exchanges.render("[$ssl_server_name][$ssl_alpn_protocol]", noSni)).isEqualTo("[][]");
        for (String name : new String[] {"ssl_protocol", "ssl_cipher", "ssl_server_name", "ssl_alpn_protocol"}) {
            assertThat(found(name, Exchanges.get().snapshot())).as(name).isFalse();
        }
    }

    @Test
    void inAStreamSnapshotHttpVariablesAreNotFoundAndSharedNamesKeepTheirStreamMeaning() {
        SessionSnapshot s = Sessions.direct().status(200).bytesSent(1500).snapshot(NOW);
        for (String name : new String[] {"request", "uri", "args", "host", "http_host", "cookie_a", "arg_a",
                "sent_http_server", "request_time", "remote_user", "https", "proxy_add_x_forwarded_for"}) {
            assertThat(found(name, s)).as(name).isFalse();
        }
        assertThat(Exchanges.render("$status $bytes_sent $realip_remote_addr $remote_addr", s))
                .isEqualTo("200 1500 10.0.0.5 10.0.0.5");
    }

    @Test
    void proxyProtocolVariablesAndTlvsAreAvailableToo() {
        SessionSnapshot s = Sessions.through(HeaderPolicy.REQUIRE, new Tlv.Authority(Bytes.of("svc.example", java.nio.charset.StandardCharsets.US_ASCII)))
                .http(Exchanges.get().build()).snapshot(NOW);
        assertThat(Exchanges.render("$proxy_protocol_addr:$proxy_protocol_port $proxy_protocol_tlv_authority"
                + " $hostname $pid $connection", s)).isEqualTo("203.0.113.7:51234 svc.example edge-1.example 4242 7");
    }

    @Test
    void headerBytesArePassedThroughUnchanged() {
        assertThat(Exchanges.get().header("User-Agent", "caf\u00c3\u00a9").render("$http_user_agent"))
                .isEqualTo("caf\u00c3\u00a9");
    }

    @Test
    void unknownNamesAreRefusedWhenCompiled() {
        assertThatThrownBy(() -> Template.compile("$remote_addr $nope", Exchanges.table()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("unknown variable \"$nope\"");
        assertThatThrownBy(() -> Template.compile("$http_", Exchanges.table()))
                .hasMessageContaining("unknown variable \"$http_\"");
        assertThatThrownBy(() -> Template.compile("$request", Sessions.table()))
                .hasMessageContaining("an http variable; the stream module does not have it");
        assertThatThrownBy(() -> Template.compile("$http_user_agent", Sessions.table()))
                .hasMessageContaining("an http variable");
    }

    @Test
    void everyFixedHttpNameIsInTheHttpTable() {
        for (HttpVariable variable : HttpVariable.values()) {
            assertThat(Exchanges.table().find(variable.variableName())).contains(variable);
        }
        assertThat(Exchanges.table().names()).contains("time_local", "proxy_protocol_addr", "request", "upstream_status");
    }
}
