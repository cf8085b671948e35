package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.stream.preread.JdkClientHello;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ssl_preread} on every stream path (raw descriptors, channels on epoll, NIO), behind {@code listen …
 * proxy_protocol}: a ClientHello cut into many TLS records and written a few bytes at a time still routes by its
 * name and reaches the upstream byte for byte, with the real client from the PROXY header in the log; a value of
 * {@code proxy_pass} that names nothing usable ends the session with nginx's status.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SslPrereadPathsTest {
    @TempDir
    Path dir;

    static List<Rig.StreamPath> paths() {
        return Rig.StreamPath.available();
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aHelloInManyRecordsAndReadsIsRoutedAndForwardedWhole(Rig.StreamPath path) throws Exception {
        try (Backend echo = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format preread '$remote_addr $status $ssl_preread_server_name $ssl_preread_alpn_protocols $ssl_preread_protocol $upstream_addr';
                        map $ssl_preread_server_name $backend {
                            echo.example   echo;
                            absent.example nowhere.example:443;
                            default        '';
                        }
                        upstream echo { server 127.0.0.1:%d; }
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from 127.0.0.0/8;
                            ssl_preread on;
                            access_log preread.log preread;
                            proxy_pass $backend;
                        }
                    }
                    """.formatted(echo.port(), port), path)) {
                byte[] hello = JdkClientHello.resplit(JdkClientHello.of("echo.example", List.of("h2")), 37);
                byte[] header = "PROXY TCP4 203.0.113.7 127.0.0.1 51234 443\r\n".getBytes(StandardCharsets.US_ASCII);
                try (Socket client = Rig.client(port)) {
                    client.setTcpNoDelay(true);
                    OutputStream out = client.getOutputStream();
                    out.write(header);
                    out.flush();
                    for (int at = 0; at < hello.length; at += 50) {
                        out.write(hello, at, Math.min(50, hello.length - at));
                        out.flush();
                        Thread.sleep(2);
                    }
                    InputStream in = client.getInputStream();
                    assertThat(in.readNBytes(hello.length)).isEqualTo(hello);
                }
                assertThat(Rig.awaitLogLines(dir.resolve("preread.log"), 1).get(0))
                        .isEqualTo("203.0.113.7 200 echo.example h2 TLSv1.3 127.0.0.1:" + echo.port());

                for (String name : List.of("absent.example", "other.example")) {
                    try (Socket client = Rig.client(port)) {
                        client.getOutputStream().write(header);
                        client.getOutputStream().write(JdkClientHello.of(name, List.of("h2")));
                        assertThat(client.getInputStream().read()).isEqualTo(-1);
                    }
                }
                List<String> lines = Rig.awaitLogLines(dir.resolve("preread.log"), 3);
                // A host name without resolver: 500, as nginx 1.22's stream proxy (StreamResolverLikeNginxTest).
                assertThat(lines.get(1)).isEqualTo("203.0.113.7 500 absent.example h2 TLSv1.3 -");
                assertThat(lines.get(2)).isEqualTo("203.0.113.7 500 other.example h2 TLSv1.3 -");
            }
        }
    }
}
