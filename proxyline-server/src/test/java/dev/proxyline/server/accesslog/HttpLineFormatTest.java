package dev.proxyline.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.LogFormat;
import dev.proxyline.server.variables.Exchanges;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Sessions;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.UpstreamAttempt;
import org.junit.jupiter.api.Test;

class HttpLineFormatTest {
    private static final LineFormat COMBINED = LineFormat.compile(LogFormat.COMBINED, Exchanges.table());

    private static String line(LogFormat.Escape escape, String format, SessionSnapshot session) {
        return LineFormat.compile(new LogFormat("f", escape, format), Exchanges.table()).format(session);
    }

    @Test
    void combinedIsTheLineNginxWritesForTheSameRequest() {
        SessionSnapshot s = Exchanges.get().target("/index.html").header("Host", "example.com")
                .header("User-Agent", "curl/8.5.0").header("Accept", "*/*").response(200, 612, 850).snapshot();
        assertThat(COMBINED.format(s)).isEqualTo(
                "203.0.113.7 - - [26/Nov/2026:01:02:03 +0000] \"GET /index.html HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\"\n");
    }

    @Test
    void combinedShowsTheBasicUserAndEscapesQuotesAndHighBytesInHeaders() {
        // YWxpY2U6c2VjcmV0 = "alice:secret"; the user agent holds the UTF-8 bytes of "é"
        SessionSnapshot s = Exchanges.get().method("POST").target("/a?q=\"x\"")
                .header("Authorization", "Basic YWxpY2U6c2VjcmV0").header("Referer", "https://example.com/\\")
                .header("User-Agent", "caf\u00c3\u00a9 \"bot\"").response(404, 0, 153).snapshot();
        assertThat(COMBINED.format(s)).isEqualTo("203.0.113.7 - alice [26/Nov/2026:01:02:03 +0000]"
                + " \"POST /a?q=\\x22x\\x22 HTTP/1.1\" 404 0 \"https://example.com/\\x5C\""
                + " \"caf\\xC3\\xA9 \\x22bot\\x22\"\n");
    }

    @Test
    void aStreamSnapshotInTheCombinedFormatShowsDashesForTheRequest() {
        SessionSnapshot s = Sessions.direct().status(400).snapshot(Sessions.NOW);
        assertThat(COMBINED.format(s))
                .isEqualTo("10.0.0.5 - - [26/Nov/2026:01:02:03 +0000] \"-\" 400 - \"-\" \"-\"\n");
    }

    @Test
    void jsonEscapingOfHttpValuesAndNothingForMissingOnes() {
        SessionSnapshot s = Exchanges.get().header("User-Agent", "a\"b\\c\td\u0001").response(200, 5, 90).snapshot();
        assertThat(line(LogFormat.Escape.JSON,
                "{\"ua\":\"$http_user_agent\",\"ref\":\"$http_referer\",\"status\":$status,\"rt\":$request_time}", s))
                .isEqualTo("{\"ua\":\"a\\\"b\\\\c\\td\\u0001\",\"ref\":\"\",\"status\":200,\"rt\":0.003}\n");
    }

    @Test
    void typicalIngressFormatWithUpstreamAndTlsVariables() {
        SessionSnapshot s = Sessions.direct().upstream(UpstreamAttempt.failed("10.1.0.1:80"))
                .upstream(UpstreamAttempt.connected("10.1.0.2:80", 1).finished(4, 9, 100, 900))
                .http(Exchanges.get().upstreamStatuses(0, 200).response(200, 800, 900).build()).snapshot(Sessions.NOW);
        assertThat(line(LogFormat.Escape.DEFAULT, "$request_id $upstream_addr $upstream_status"
                + " $upstream_response_time $ssl_protocol \"$ssl_server_name\"", s))
                .isEqualTo("0123456789abcdef0123456789abcdef 10.1.0.1:80, 10.1.0.2:80 502, 200 -, 0.009 - \"-\"\n");
    }

    @Test
    void unknownVariableIsRefusedNamingTheFormatAndTheVariable() {
        assertThatThrownBy(() -> LineFormat.compile(new LogFormat("main", LogFormat.Escape.DEFAULT,
                "$remote_addr $http_x_ok $reqest"), Exchanges.table()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("log_format \"main\"").hasMessageContaining("unknown variable \"$reqest\"");
    }
}
