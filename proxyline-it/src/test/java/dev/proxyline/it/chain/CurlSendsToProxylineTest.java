package dev.proxyline.it.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.ProxyReceiver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curl --haproxy-protocol} (a v1 line describing curl's own socket) into proxyline's L4
 * listener: proxyline logs curl's source and passes it on to the backend in its own header.
 */
@Timeout(30)
class CurlSendsToProxylineTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;
    private ProxyReceiver backend;
    private Proxyline proxyline;
    private InetSocketAddress listen;

    @BeforeEach
    void start() {
        backend = ProxyReceiver.start(ProxyReceiver.httpRequestHead(),
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
        listen = Loopback.freePort(Loopback.PROXYLINE);
        proxyline = Proxyline.start(directory, """
                stream {
                    log_format pp '$remote_addr:$remote_port pp=$proxy_protocol_addr:$proxy_protocol_port peer=$realip_remote_addr $status';
                    server {
                        listen %s proxy_protocol;
                        set_real_ip_from 127.0.0.7;
                        proxy_bind 127.0.0.4;
                        proxy_protocol on;
                        proxy_pass %s;
                        access_log pp.log pp;
                    }
                }
                """.formatted(Loopback.hostPort(listen), Loopback.hostPort(backend.address())));
    }

    @AfterEach
    void stop() {
        if (proxyline != null) {
            proxyline.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void haproxyProtocolV1LineFromCurlIsLoggedAsCurlsSourceAndPassedOn() {
        String client = curl(List.of());

        assertThat(proxyline.awaitLine("pp.log", line -> line.startsWith(client + " "), WAIT))
                .isEqualTo(client + " pp=" + client + " peer=127.0.0.7 200");
        ProxyReceiver.Received received = backend.nextFrom(Loopback.parseIpPort(client), WAIT);
        assertThat(received.payloadText()).startsWith("GET /pp HTTP/1.1\r\n");
    }

    @Test
    void haproxyClientIpSetsTheClaimedClient() {
        String help = Commands.run(List.of(Interop.requireBinary("curl").toString(), "--help", "all"), Duration.ofSeconds(10));
        Assumptions.assumeTrue(help.contains("--haproxy-clientip"),
                "this curl has no --haproxy-clientip (added in curl 8.2; Debian 12 ships 7.88.1): not faked");

        String client = curl(List.of("--haproxy-clientip", "203.0.113.7"));

        String line = proxyline.awaitLine("pp.log", logged -> logged.contains(" peer=127.0.0.7 "), WAIT);
        assertThat(line).startsWith("203.0.113.7:").contains(" pp=203.0.113.7:").endsWith(" 200");
        assertThat(client).startsWith("127.0.0.7:");
    }

    /** Runs curl with {@code options} through proxyline; returns curl's own socket address, {@code ip:port}. */
    private String curl(List<String> options) {
        List<String> command = new ArrayList<>(List.of(Interop.requireBinary("curl").toString(), "-sS",
                "--max-time", "10", "--haproxy-protocol", "--interface", "127.0.0.7",
                "-w", "\n%{local_ip}:%{local_port}"));
        command.addAll(options);
        command.add("http://" + Loopback.hostPort(listen) + "/pp");
        String output = Commands.run(command, Duration.ofSeconds(15));
        assertThat(output).startsWith("ok\n\n127.0.0.7:");
        return output.substring("ok\n\n".length()).strip();
    }
}
