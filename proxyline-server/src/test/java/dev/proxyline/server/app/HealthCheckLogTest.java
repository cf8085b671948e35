package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A balancer's health check (PROXY v2 LOCAL, then close, as HAProxy's {@code check-send-proxy}) is
 * not client traffic: no access log line. A LOCAL connection that carries data, or a LOCAL header from
 * an untrusted source, is logged as usual.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthCheckLogTest {
    private static final byte[] LOCAL = ProxyHeaderEncoder.encode(ProxyHeader.local(ProtocolVersion.V2, List.of()));

    @TempDir
    Path dir;

    static List<Rig.StreamPath> paths() {
        return Rig.StreamPath.onBestTransport();
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aTrustedLocalHeaderWithoutDataIsNotLoggedButTheNextClientIs(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = start(path, port, backend, Rig.CLIENT_IP)) {
                try (Socket check = Rig.client(port)) {
                    check.getOutputStream().write(LOCAL);
                    check.shutdownOutput();
                    assertThat(check.getInputStream().read()).isEqualTo(-1);
                }
                // Once the backend saw the check relayed, its session is ending; the client comes after it.
                assertThat(backend.peers.poll(5, TimeUnit.SECONDS)).isNotNull();
                echo(port, ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V2,
                        new InetSocketAddress("203.0.113.7", 51234), new InetSocketAddress("127.0.0.1", port))));
                Rig.awaitLog(dir.resolve("access.log"));
            }
        }
        // Read after the stop, when every session has ended and written whatever it writes.
        assertThat(Files.readString(dir.resolve("access.log"))).isEqualTo("203.0.113.7 200 1\n");
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aLocalConnectionThatCarriesDataIsLogged(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = start(path, port, backend, Rig.CLIENT_IP)) {
                echo(port, LOCAL);

                assertThat(Rig.awaitLog(dir.resolve("access.log"))).isEqualTo(Rig.CLIENT_IP + " 200 1\n");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void anUntrustedLocalHeaderIsLogged(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = start(path, port, backend, "127.0.0.8")) {
                try (Socket check = Rig.client(port)) {
                    check.getOutputStream().write(LOCAL);
                    check.shutdownOutput();
                    check.getInputStream().read();
                }

                assertThat(Rig.awaitLog(dir.resolve("access.log"))).startsWith(Rig.CLIENT_IP + " ");
            }
        }
    }

    private Rig start(Rig.StreamPath path, int port, Backend backend, String trusted) throws Exception {
        return Rig.start(dir, """
                stream {
                    log_format short '$remote_addr $status $bytes_received';
                    server {
                        listen 127.0.0.1:%d proxy_protocol;
                        set_real_ip_from %s;
                        proxy_pass 127.0.0.1:%d;
                        access_log access.log short;
                    }
                }
                """.formatted(port, trusted, backend.port()), path);
    }

    /** Sends {@code header} and one byte, reads the echo, closes. */
    private static void echo(int port, byte[] header) throws Exception {
        try (Socket client = Rig.client(port)) {
            OutputStream out = client.getOutputStream();
            out.write(header);
            out.write("x".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(client.getInputStream().read()).isEqualTo('x');
        }
    }
}
