package dev.proxyline.server.variables;

import static dev.proxyline.server.variables.Sessions.direct;
import static dev.proxyline.server.variables.Sessions.render;
import static dev.proxyline.server.variables.Sessions.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.tls.TestPki;
import java.math.BigInteger;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamTlsVariablesTest {
    private static final String ALL = "$ssl_protocol|$ssl_cipher|$ssl_server_name|$ssl_alpn_protocol|"
            + "$ssl_session_reused|$ssl_client_verify";

    private static SessionSnapshot session(SessionTls tls) {
        return direct().tls(tls).snapshot(Sessions.NOW);
    }

    @Test
    void aTerminatedSessionShowsItsHandshake() {
        SessionTls tls = new SessionTls(new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.of("a.example"),
                Optional.empty()), false);
        assertThat(render(ALL, session(tls))).isEqualTo("TLSv1.3|TLS_AES_128_GCM_SHA256|a.example||.|NONE");
        SessionTls resumed = new SessionTls(new TlsFacts("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256", Optional.empty(),
                Optional.empty()), true);
        assertThat(render("$ssl_session_reused $ssl_protocol", session(resumed))).isEqualTo("r TLSv1.2");
    }

    @Test
    void aPlainSessionHasNoneOfThemAndAMissingNameOrAlpnIsNotFoundAsInNginxsStreamModule() {
        SessionSnapshot plain = direct().snapshot(Sessions.NOW);
        for (StreamTlsVariable v : StreamTlsVariable.values()) {
            assertThat(v.appendTo(plain, new StringBuilder())).as(v.variableName()).isFalse();
        }
        SessionSnapshot noName = session(new SessionTls(new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256",
                Optional.empty(), Optional.empty()), false));
        assertThat(StreamTlsVariable.SSL_SERVER_NAME.appendTo(noName, new StringBuilder())).isFalse();
        assertThat(StreamTlsVariable.SSL_ALPN_PROTOCOL.appendTo(noName, new StringBuilder())).isFalse();
        assertThat(StreamTlsVariable.SSL_PROTOCOL.appendTo(noName, new StringBuilder())).isTrue();
    }

    @Test
    void theClientCertificateVariablesReadTheVerifiedCertificate() {
        TestPki.Issued ca = TestPki.selfSigned("CN=ca", true);
        TestPki.Issued client = TestPki.client(ca, "CN=client one,O=Acme", BigInteger.valueOf(0x0FED), Duration.ofDays(3));
        SessionTls tls = new SessionTls(new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.empty(),
                Optional.empty(), new ClientCertificate(client.chain(), Optional.empty())), false);
        assertThat(render("$ssl_client_verify|$ssl_client_s_dn|$ssl_client_i_dn|$ssl_client_serial", session(tls)))
                .isEqualTo("SUCCESS|O=Acme,CN=client one|CN=ca|0FED");
    }

    @Test
    void aFailedHandshakeShowsWhatNginxShowsOfItButTheProtocol() {
        SessionSnapshot named = session(SessionTls.failed(Optional.of("a.example")));
        assertThat(render(ALL + "|$ssl_session_id", named)).isEqualTo("|(NONE)|a.example||.|NONE|");
        assertThat(StreamTlsVariable.SSL_PROTOCOL.appendTo(named, new StringBuilder())).isFalse();
        assertThat(StreamTlsVariable.SSL_SESSION_ID.appendTo(named, new StringBuilder())).isFalse();
        SessionSnapshot helloless = session(SessionTls.failed(Optional.empty()));
        assertThat(StreamTlsVariable.SSL_SERVER_NAME.appendTo(helloless, new StringBuilder())).isFalse();
        assertThat(render("$ssl_cipher", helloless)).isEqualTo("(NONE)");
    }

    @Test
    void theSessionIdIsLowerCaseHexAndTheEscapedCertificateIsHttpsOwnEncoding() {
        TestPki.Issued ca = TestPki.selfSigned("CN=ca", true);
        TestPki.Issued client = TestPki.client(ca, "CN=client", BigInteger.ONE, Duration.ofDays(3));
        ClientCertificate certificate = new ClientCertificate(client.chain(), Optional.empty());
        SessionTls tls = new SessionTls(new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.empty(),
                Optional.empty(), certificate), false, new byte[] {0x0A, (byte) 0xFF, 0x00});
        assertThat(render("$ssl_session_id", session(tls))).isEqualTo("0aff00");
        String escaped = render("$ssl_client_escaped_cert", session(tls));
        assertThat(escaped).isEqualTo(certificate.escapedPem()).startsWith("-----BEGIN%20CERTIFICATE-----%0A");
    }

    @Test
    void theyAreStreamVariablesTheHttpTableKeepsItsOwn() {
        assertThat(table().find("ssl_session_reused")).containsInstanceOf(StreamTlsVariable.class);
        assertThat(VariableTable.http(ZoneOffset.UTC, "h", 1).find("ssl_protocol"))
                .containsInstanceOf(HttpVariable.class);
        assertThat(VariableTable.http(ZoneOffset.UTC, "h", 1).find("ssl_session_reused")).isEmpty();
    }
}
