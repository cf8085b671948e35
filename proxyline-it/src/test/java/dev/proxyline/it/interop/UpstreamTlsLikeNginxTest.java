package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.SideBySide;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code proxy_pass https://} locations, word for word, in nginx and in proxyline, in front of one real
 * nginx backend with {@code listen ... ssl}: no SNI by default, SNI with {@code proxy_ssl_server_name on},
 * verification that passes with the right certificate and name and answers 502 with a wrong one, and a handshake
 * with a plain HTTP port that fails with 502.
 */
@Timeout(60)
class UpstreamTlsLikeNginxTest {
    private static final List<String> PATHS = List.of("/plain/a", "/sni/b", "/verified/c", "/wrong-ca/d",
            "/wrong-name/e", "/address/f", "/plain-port/g");

    @TempDir
    Path directory;

    @Test
    void everyLocationAnswersAsNginxDoes() throws Exception {
        Path backendDirectory = Files.createDirectory(directory.resolve("backend"));
        Certificates.Pair backendCertificate = Certificates.selfSigned(backendDirectory, "backend", "backend.test");
        Certificates.Pair impostor = Certificates.selfSigned(backendDirectory, "impostor", "backend.test");
        // A port per location: nginx resumes a session made by one location in another to the same address, with
        // the first one's SNI and verify result (proxyline keeps sessions per setting), so each gets its own.
        List<InetSocketAddress> tls = new ArrayList<>();
        StringBuilder listens = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            tls.add(Loopback.freePort(Loopback.BACKEND));
            listens.append("        listen ").append(Loopback.hostPort(tls.get(i))).append(" ssl;\n");
        }
        InetSocketAddress plain = Loopback.freePort(Loopback.BACKEND);
        String backend = """
                http {
                    log_format pp '$remote_addr "$request" $status';
                %s
                    server {
                %s
                        ssl_certificate %s;
                        ssl_certificate_key %s;
                        location / { return 200 "backend $uri sni=[$ssl_server_name]\\n"; }
                    }
                    server {
                        listen %s;
                        location / { return 200 "plain $uri\\n"; }
                    }
                }
                """.formatted(NginxPeer.httpHousekeeping(backendDirectory), listens,
                backendCertificate.certificate(), backendCertificate.key(), Loopback.hostPort(plain));
        List<String> upstream = tls.stream().map(a -> "https://" + Loopback.hostPort(a)).toList();
        List<InetSocketAddress> backendListens = new ArrayList<>(tls);
        backendListens.add(plain);
        SideBySide.Answers answers;
        try (NginxPeer ignored = NginxPeer.start(backendDirectory, backend, backendListens)) {
            answers = SideBySide.ask(directory, listen -> """
                        server {
                            listen %1$s;
                            location /plain/ { proxy_pass %5$s; }
                            location /sni/ {
                                proxy_ssl_server_name on;
                                proxy_ssl_name backend.test;
                                proxy_pass %6$s;
                            }
                            location /verified/ {
                                proxy_ssl_verify on;
                                proxy_ssl_trusted_certificate %2$s;
                                proxy_ssl_name backend.test;
                                proxy_pass %7$s;
                            }
                            location /wrong-ca/ {
                                proxy_ssl_verify on;
                                proxy_ssl_trusted_certificate %3$s;
                                proxy_ssl_name backend.test;
                                proxy_pass %8$s;
                            }
                            location /wrong-name/ {
                                proxy_ssl_verify on;
                                proxy_ssl_trusted_certificate %2$s;
                                proxy_ssl_name other.test;
                                proxy_pass %9$s;
                            }
                            location /address/ {
                                proxy_ssl_verify on;
                                proxy_ssl_trusted_certificate %2$s;
                                proxy_pass %10$s;
                            }
                            location /plain-port/ { proxy_pass https://%4$s; }
                        }
                    """.formatted(Loopback.hostPort(listen), backendCertificate.certificate(),
                    impostor.certificate(), Loopback.hostPort(plain), upstream.get(0), upstream.get(1), upstream.get(2),
                    upstream.get(3), upstream.get(4), upstream.get(5)),
                    PATHS.stream().map(UpstreamTlsLikeNginxTest::request).toList());
        }
        List<String> fromNginx = new ArrayList<>();
        List<String> fromProxyline = new ArrayList<>();
        for (int i = 0; i < PATHS.size(); i++) {
            fromNginx.add(summary(answers.nginx().get(i)));
            fromProxyline.add(summary(answers.proxyline().get(i)));
        }
        assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
        assertThat(fromNginx).containsExactly(
                "200 backend /plain/a sni=[]\n",
                "200 backend /sni/b sni=[backend.test]\n",
                "200 backend /verified/c sni=[]\n",
                "502",
                "502",
                "502",
                "502");
        String nginxErrors = Files.readString(directory.resolve("nginx").resolve("error.log"));
        assertThat(nginxErrors)
                .contains("upstream SSL certificate verify error: (18:self-signed certificate) while SSL handshaking"
                        + " to upstream")
                .contains("upstream SSL certificate does not match \"other.test\" while SSL handshaking to upstream")
                .contains("upstream SSL certificate does not match \"127.0.0.1\" while SSL handshaking to upstream");
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

    /** The status, and for a 200 the body: the error pages differ in their server's name. */
    private static String summary(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String status = text.isEmpty() ? "none" : text.substring(9, 12);
        return status.equals("200") ? status + " " + text.substring(text.indexOf("\r\n\r\n") + 4) : status;
    }
}
