package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.LoadResult;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of the handshake settings and the DHE rule, without a network. */
class HandshakeFilesTest {
    private static final System.Logger LOG = System.getLogger(HandshakeFilesTest.class.getName());
    /** RFC 7919's ffdhe2048, as {@code openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048} writes it. */
    private static final String FFDHE2048 = """
            -----BEGIN DH PARAMETERS-----
            MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
            +8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
            87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
            YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
            7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
            ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
            -----END DH PARAMETERS-----
            """;

    @TempDir
    Path dir;

    private PemFile file(String name, String directive) {
        return new PemFile(dir.resolve(name), directive, Optional.of(new dev.proxyline.config.Position("t.conf", 3, 28)));
    }

    private static byte[] counting(int size) {
        byte[] bytes = new byte[size];
        IntStream.range(0, size).forEach(i -> bytes[i] = (byte) i);
        return bytes;
    }

    @Test
    void ticketKeyFilesAreSplitAsNginxDoes() throws Exception {
        Files.write(dir.resolve("48.key"), counting(48));
        Files.write(dir.resolve("80.key"), counting(80));
        List<OpenSslSessionTicketKey> keys = TicketKeyFiles.read(List.of(file("48.key", "ssl_session_ticket_key"),
                file("80.key", "ssl_session_ticket_key")));
        // 48 bytes: name, AES key, HMAC key.
        assertThat(keys.get(0).name()).isEqualTo(range(0, 16));
        assertThat(keys.get(0).aesKey()).isEqualTo(range(16, 32));
        assertThat(keys.get(0).hmacKey()).isEqualTo(range(32, 48));
        // 80 bytes: name, 32-byte HMAC key, 32-byte AES key; the first 16 bytes of each.
        assertThat(keys.get(1).name()).isEqualTo(range(0, 16));
        assertThat(keys.get(1).hmacKey()).isEqualTo(range(16, 32));
        assertThat(keys.get(1).aesKey()).isEqualTo(range(48, 64));
    }

    @Test
    void badTicketKeyFilesAreEachOneProblem() throws Exception {
        Files.write(dir.resolve("short.key"), counting(32));
        PemFile missing = file("missing.key", "ssl_session_ticket_key");
        assertThatThrownBy(() -> TicketKeyFiles.read(List.of(file("short.key", "ssl_session_ticket_key"), missing)))
                .isInstanceOfSatisfying(TlsSetupException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).isEqualTo("t.conf:3:28: \"ssl_session_ticket_key\" file "
                                + dir.resolve("short.key") + ": must be 48 or 80 bytes, not 32"),
                        p -> assertThat(p).startsWith("t.conf:3:28: \"ssl_session_ticket_key\" file "
                                + dir.resolve("missing.key") + ": cannot read it (NoSuchFileException")));
    }

    @Test
    void dhParametersMustBePemDhParameters() throws Exception {
        Files.writeString(dir.resolve("dh.pem"), "comment\n" + FFDHE2048);
        DhParamFile.check(file("dh.pem", "ssl_dhparam"));
        Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> DhParamFile.check(file("cert.pem", "ssl_dhparam"))).hasMessage("t.conf:3:28: "
                + "\"ssl_dhparam\" file " + dir.resolve("cert.pem") + ": no PEM DH parameters in it");
        Files.writeString(dir.resolve("broken.pem"), "-----BEGIN DH PARAMETERS-----\nMIIBCAKCAQEA\n"
                + "-----END DH PARAMETERS-----\n");
        assertThatThrownBy(() -> DhParamFile.check(file("broken.pem", "ssl_dhparam")))
                .hasMessageContaining("not PEM DH parameters (truncated prime)");
    }

    @Test
    void dheSuitesOnlyWithDhParameters() throws Exception {
        List<String> suites = CipherString.evaluate("ECDHE+AESGCM:DHE+AESGCM");
        assertThat(suites).anyMatch(s -> s.startsWith("TLS_DHE_"));
        assertThat(HandshakeOptions.suites(ServerHandshake.DEFAULTS, suites)).noneMatch(s -> s.startsWith("TLS_DHE_"))
                .isNotEmpty();
        ServerHandshake with = new ServerHandshake(dev.proxyline.config.TlsHandshake.DEFAULTS,
                Optional.of(file("dh.pem", "ssl_dhparam")), List.of());
        assertThat(HandshakeOptions.suites(with, suites)).isEqualTo(suites);
    }

    @Test
    void aBadFileStopsTheStartAtItsDirective() throws Exception {
        Files.writeString(dir.resolve("dh.pem"), "nothing\n");
        LoadResult result = ConfigLoader.parse("test.conf", """
                http {
                    server { listen 443 ssl; ssl_dhparam dh.pem; ssl_session_ticket_key none.key; }
                }
                """, dir);
        List<HttpServer> servers = ((LoadResult.Loaded) result).config().http().orElseThrow().servers();
        assertThatThrownBy(() -> ListenTls.build(new TlsPlanner(dir).plan("*:443", servers),
                new CertificateStore(new DevelopmentCertificate(dir.resolve("dev-cert"), Clock.systemUTC(), LOG)),
                new ServerContexts(SslProvider.JDK)))
                .isInstanceOfSatisfying(TlsSetupException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).isEqualTo("test.conf:2:50: \"ssl_session_ticket_key\" needs the OpenSSL "
                                + "engine (netty-tcnative), which did not load on this machine; the JDK's engine has no "
                                + "switch for it"),
                        p -> assertThat(p).isEqualTo("test.conf:2:42: \"ssl_dhparam\" file " + dir.resolve("dh.pem")
                                + ": no PEM DH parameters in it"),
                        p -> assertThat(p).startsWith("test.conf:2:73: \"ssl_session_ticket_key\" file "
                                + dir.resolve("none.key") + ": cannot read it")));
    }

    @Test
    void anUnknownCurveStopsTheStartAtItsDirective() throws Exception {
        LoadResult result = ConfigLoader.parse("test.conf", """
                http {
                    server { listen 443 ssl; ssl_ecdh_curve X25519:X448; }
                }
                """, dir);
        List<HttpServer> servers = ((LoadResult.Loaded) result).config().http().orElseThrow().servers();
        assertThatThrownBy(() -> ListenTls.build(new TlsPlanner(dir).plan("*:443", servers),
                new CertificateStore(new DevelopmentCertificate(dir.resolve("dev-cert"), Clock.systemUTC(), LOG)),
                new ServerContexts(SslProvider.OPENSSL)))
                .hasMessage("test.conf:2:30: \"ssl_ecdh_curve X25519:X448\" names a curve BoringSSL does not know (it "
                        + "has X25519, prime256v1 or P-256, secp384r1 or P-384, secp521r1 or P-521)");
    }

    private static byte[] range(int from, int to) {
        return java.util.Arrays.copyOfRange(counting(80), from, to);
    }
}
