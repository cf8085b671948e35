package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.LoadResult;
import dev.proxyline.config.Position;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsPlannerTest {
    private static final Path CONF_DIR = Path.of("/etc/proxyline");

    private static final String SERVERS = """
            server {
                listen 443 ssl;
                server_name a.example.com;
                ssl_certificate a.crt; ssl_certificate_key a.key;
            }
            server {
                listen 443 ssl http2 default_server;
                server_name *.example.org;
                ssl_certificate /tls/org-rsa.crt; ssl_certificate_key /tls/org-rsa.key;
                ssl_certificate /tls/org-ec.crt; ssl_certificate_key /tls/org-ec.key;
                ssl_protocols TLSv1.3;
                client_header_timeout 7s;
            }
            server {
                listen 443 ssl;
                server_name ~^api[0-9]+\\.example\\.net$;
            }
            server {
                listen 8443 ssl;
                ssl_ciphers ECDHE+AESGCM;
                ssl_certificate a.crt; ssl_certificate_key a.key;
            }
            server { listen 80; }
            """;

    private final Map<String, ListenTlsPlan> plans = new TlsPlanner(CONF_DIR).plan(servers(SERVERS));

    @Test
    void oneTlsPlanPerSslSocket() {
        assertThat(plans.keySet()).containsExactly("*:443", "*:8443");
        assertThat(plans.get("*:443").http2()).isTrue();
        assertThat(plans.get("*:8443").http2()).isFalse();
    }

    @Test
    void serverNamesChooseTheCertificateAsNginxChoosesTheServer() {
        ListenTlsPlan p = plans.get("*:443");
        assertThat(certificates(p.forServerName(Optional.of("a.example.com")))).containsExactly("/etc/proxyline/a.crt");
        assertThat(certificates(p.forServerName(Optional.of("deep.www.example.org"))))
                .containsExactly("/tls/org-rsa.crt", "/tls/org-ec.crt");
        assertThat(p.forServerName(Optional.of("api7.example.net")).certificates())
                .containsExactly(new CertificateSource.Development());
    }

    @Test
    void noOrUnknownOrMalformedNameGetsTheDefaultServer() {
        ListenTlsPlan p = plans.get("*:443");
        ServerTls org = p.forServerName(Optional.of("x.example.org"));
        assertThat(p.defaultSettings()).isEqualTo(org);
        assertThat(p.forServerName(Optional.empty())).isEqualTo(org);
        assertThat(p.forServerName(Optional.of("unknown.test"))).isEqualTo(org);
        assertThat(p.forServerName(Optional.of("a..b"))).isEqualTo(org);
        assertThat(org.protocols()).containsExactly("TLSv1.3");
        assertThat(p.handshakeTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(plans.get("*:8443").handshakeTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void settingsAreSharedWhenEqualAndKeepWhereEachFileWasNamed() {
        ServerTls a = plans.get("*:443").forServerName(Optional.of("a.example.com"));
        ServerTls other = plans.get("*:8443").defaultSettings();
        assertThat(plans.get("*:443").distinctSettings()).hasSize(3).first().isEqualTo(plans.get("*:443").defaultSettings());
        assertThat(other.ciphers()).isEqualTo("ECDHE+AESGCM");
        assertThat(a.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        CertificateFiles files = ((CertificateSource.Configured) a.certificates().get(0)).files();
        assertThat(files.certificate().position()).contains(new Position("test.conf", 5, 21));
        assertThat(files.key().position()).contains(new Position("test.conf", 5, 48));
        assertThat(files.key().path()).isEqualTo(Path.of("/etc/proxyline/a.key"));
    }

    private static List<String> certificates(ServerTls tls) {
        return tls.certificates().stream()
                .map(c -> ((CertificateSource.Configured) c).files().certificate().path().toString()).toList();
    }

    @Test
    void theSslBufferSizeIsTheServerNamesOrTheDefaultServers() {
        ListenTlsPlan mixed = new TlsPlanner(CONF_DIR).plan(servers("""
                ssl_buffer_size 4k;
                server { listen 443 ssl default_server; }
                server { listen 443 ssl; server_name big.test; ssl_buffer_size 16k; }
                """)).get("*:443");
        assertThat(mixed.commonBufferSize()).as("they differ").isZero();
        assertThat(mixed.bufferSize(Optional.of("big.test"))).isEqualTo(16384);
        assertThat(mixed.bufferSize(Optional.of("other.test"))).isEqualTo(4096);
        assertThat(mixed.bufferSize(Optional.empty())).isEqualTo(4096);
        assertThat(plans.get("*:443").commonBufferSize()).as("nginx's default everywhere").isEqualTo(16384);
    }

    static List<HttpServer> servers(String body) {
        LoadResult result = ConfigLoader.parse("test.conf", "http {\n" + body + "\n}\n", Path.of("."));
        assertThat(result.errors()).isEmpty();
        return ((LoadResult.Loaded) result).config().http().orElseThrow().servers();
    }
}
