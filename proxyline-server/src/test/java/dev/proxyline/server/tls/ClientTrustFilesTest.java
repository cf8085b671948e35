package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.LoadResult;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTrustFilesTest {
    private static final System.Logger LOG = System.getLogger(ClientTrustFilesTest.class.getName());

    @TempDir
    Path dir;

    private ListenTls listenTls(String servers) throws TlsSetupException {
        LoadResult result = ConfigLoader.parse("test.conf", "http {\n" + servers + "\n}\n", dir);
        assertThat(result.errors()).isEmpty();
        List<HttpServer> parsed = ((LoadResult.Loaded) result).config().http().orElseThrow().servers();
        return ListenTls.build(new TlsPlanner(dir).plan("*:443", parsed),
                new CertificateStore(new DevelopmentCertificate(dir.resolve("dev-cert"), Clock.systemUTC(), LOG)),
                new ServerContexts(SslProvider.JDK));
    }

    @Test
    void missingOrUnparsableFilesStopTheStartNamingTheirDirective() throws Exception {
        Files.writeString(dir.resolve("empty.pem"), "no PEM here\n");
        assertThatThrownBy(() -> listenTls("""
                server {
                    listen 443 ssl;
                    ssl_verify_client on;
                    ssl_client_certificate missing.pem;
                    ssl_trusted_certificate empty.pem;
                    ssl_crl empty.pem;
                }"""))
                .isInstanceOfSatisfying(TlsSetupException.class, e -> assertThat(e.problems()).containsExactly(
                        "test.conf:5:28: \"ssl_client_certificate\" file " + dir.resolve("missing.pem")
                                + ": cannot read it (NoSuchFileException: " + dir.resolve("missing.pem") + ")",
                        "test.conf:6:29: \"ssl_trusted_certificate\" file " + dir.resolve("empty.pem")
                                + ": not a PEM certificate (No certificate data found)",
                        "test.conf:7:13: \"ssl_crl\" file " + dir.resolve("empty.pem")
                                + ": not a PEM certificate revocation list (No CRL data found)"));
    }

    @Test
    void eachServerOnASocketGetsItsOwnVerifierByServerName() throws Exception {
        TestPki.Issued ca = TestPki.selfSigned("CN=Test Root", true);
        TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
        TestPki.writePem(dir.resolve("crl.pem"), TestPki.crl(ca));
        ListenTls tls = listenTls("""
                server { listen 443 ssl; server_name a.test; ssl_verify_client on; ssl_client_certificate ca.pem;
                         ssl_crl crl.pem; ssl_verify_depth 2; }
                server { listen 443 ssl; server_name b.test; ssl_verify_client optional_no_ca; }
                server { listen 443 ssl default_server; server_name c.test; }""");
        assertThat(tls.clientVerifier("a.test").orElseThrow().mode()).isEqualTo(dev.proxyline.config.ClientVerify.Mode.ON);
        assertThat(tls.clientVerifier("a.test").orElseThrow().named()).containsExactly(ca.certificate());
        assertThat(tls.clientVerifier("b.test").orElseThrow().named()).isEmpty();
        assertThat(tls.clientVerifier("c.test")).isEmpty();
        assertThat(tls.clientVerifier(null)).isEmpty();
        assertThat(tls.map("a.test")).isNotSameAs(tls.map("c.test"));
    }
}
