package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ClientVerify.Mode;
import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.http.routing.VirtualHosts;
import dev.proxyline.server.tls.OcspVerdict;
import dev.proxyline.server.tls.TestPki;
import dev.proxyline.server.variables.ClientCertificate;
import dev.proxyline.server.tls.VerifyFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientCertificateCheckTest {
    private static final TestPki.Issued SOME = TestPki.selfSigned("CN=someone", false);
    private static final ClientCertificate GOOD = new ClientCertificate(SOME.chain(), Optional.empty());
    private static final ClientCertificate NONE = new ClientCertificate(List.of(), Optional.empty());
    private static final ClientCertificate UNKNOWN_ISSUER =
            new ClientCertificate(SOME.chain(), Optional.of(VerifyFailure.DEPTH_ZERO_SELF_SIGNED_CERT));
    private static final ClientCertificate EXPIRED =
            new ClientCertificate(SOME.chain(), Optional.of(VerifyFailure.CERT_HAS_EXPIRED));

    private static Optional<String> body(Mode mode, ClientCertificate c) {
        return ClientCertificateCheck.check(mode, c).map(ClientCertificateCheck.Refusal::body);
    }

    @Test
    void onNeedsAVerifiedCertificate() {
        assertThat(body(Mode.ON, GOOD)).isEmpty();
        assertThat(body(Mode.ON, NONE)).contains("400 No required SSL certificate was sent\n");
        assertThat(body(Mode.ON, ClientCertificate.NOT_REQUESTED)).contains("400 No required SSL certificate was sent\n");
        assertThat(body(Mode.ON, UNKNOWN_ISSUER)).contains("400 The SSL certificate error\n");
        assertThat(ClientCertificateCheck.check(Mode.ON, UNKNOWN_ISSUER).orElseThrow().log())
                .isEqualTo("client SSL certificate verify error: (18:self-signed certificate)");
    }

    @Test
    void optionalLetsRequestsWithoutCertificateThrough() {
        assertThat(body(Mode.OPTIONAL, NONE)).isEmpty();
        assertThat(body(Mode.OPTIONAL, GOOD)).isEmpty();
        assertThat(body(Mode.OPTIONAL, UNKNOWN_ISSUER)).contains("400 The SSL certificate error\n");
    }

    @Test
    void aCertificateTheResponderRefusedIsACertificateError() {
        ClientCertificate revoked = GOOD.withOcsp(OcspVerdict.REVOKED);
        assertThat(body(Mode.ON, revoked)).contains("400 The SSL certificate error\n");
        assertThat(body(Mode.OPTIONAL, revoked)).contains("400 The SSL certificate error\n");
        assertThat(ClientCertificateCheck.check(Mode.OPTIONAL, revoked).orElseThrow().log())
                .isEqualTo("client SSL certificate verify error: certificate revoked");
        assertThat(ClientCertificateCheck.check(Mode.ON, GOOD.withOcsp(OcspVerdict.REQUEST_FAILED))
                .orElseThrow().pageStatus()).isEqualTo(ClientCertificateCheck.CERT_ERROR);
        assertThat(body(Mode.ON, GOOD.withOcsp(OcspVerdict.GOOD))).isEmpty();
        assertThat(body(Mode.OFF, revoked)).isEmpty(); // the request's server asks for no certificate
    }

    @Test
    void optionalNoCaLetsUnknownIssuersThroughButNotOtherFailures() {
        assertThat(body(Mode.OPTIONAL_NO_CA, UNKNOWN_ISSUER)).isEmpty();
        assertThat(body(Mode.OPTIONAL_NO_CA, NONE)).isEmpty();
        assertThat(body(Mode.OPTIONAL_NO_CA, EXPIRED)).contains("400 The SSL certificate error\n");
    }

    @Test
    void aHostOtherThanTheSniNameThatNamedAServerIsMisdirected() {
        LoadResult loaded = ConfigLoader.parse("test.conf", """
                http {
                    server { listen 443 ssl; server_name a.test www.a.test; }
                    server { listen 443 ssl; server_name ~^r\\d+\\.test$; }
                    server { listen 443 ssl default_server; }
                }
                """, Path.of("."));
        List<HttpServer> servers = ((LoadResult.Loaded) loaded).config().http().orElseThrow().servers();
        VirtualHosts hosts = new VirtualHosts("*:443", servers);
        Optional<ClientCertificateCheck.Refusal> r =
                ClientCertificateCheck.misdirected(Optional.of("a.test"), "www.a.test", hosts);
        assertThat(r.map(ClientCertificateCheck.Refusal::status)).contains(421);
        assertThat(r.map(ClientCertificateCheck.Refusal::body)).contains("421 Misdirected Request\n");
        assertThat(ClientCertificateCheck.misdirected(Optional.of("r1.test"), "a.test", hosts)).isPresent();
        assertThat(ClientCertificateCheck.misdirected(Optional.of("a.test"), "a.test", hosts)).isEmpty();
        assertThat(ClientCertificateCheck.misdirected(Optional.empty(), "a.test", hosts)).isEmpty();
        // The SNI name named no server: nginx does not compare.
        assertThat(ClientCertificateCheck.misdirected(Optional.of("other.test"), "a.test", hosts)).isEmpty();
        // One server on the socket: nginx keeps no names for it and compares nothing.
        VirtualHosts alone = new VirtualHosts("*:443", servers.subList(0, 1));
        assertThat(ClientCertificateCheck.misdirected(Optional.of("a.test"), "www.a.test", alone)).isEmpty();
    }

    @Test
    void offChecksNothing() {
        assertThat(body(Mode.OFF, EXPIRED)).isEmpty();
        assertThat(body(Mode.OFF, NONE)).isEmpty();
    }
}
