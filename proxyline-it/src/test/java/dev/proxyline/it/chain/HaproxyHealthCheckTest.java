package dev.proxyline.it.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HaproxyPeer;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.ProxyReceiver;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAProxy's health checks with {@code check-send-proxy} and {@code send-proxy-v2} (a v2 LOCAL header,
 * then close) against proxyline's {@code listen … proxy_protocol}: accepted, so HAProxy keeps the
 * server up and relays clients, and not written to proxyline's access log as client traffic.
 */
@Timeout(30)
class HaproxyHealthCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    void localHealthChecksAreAcceptedAndNotLoggedAsClients() throws Exception {
        InetSocketAddress haproxyListen = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress listen = Loopback.freePort(Loopback.PROXYLINE);
        String client;
        try (ProxyReceiver backend = ProxyReceiver.start(ProxyReceiver.bytes(1), "ok\n")) {
            try (Proxyline proxyline = Proxyline.start(directory, """
                    stream {
                        log_format pp '$remote_addr:$remote_port peer=$realip_remote_addr $status';
                        server {
                            listen %s proxy_protocol;
                            set_real_ip_from 127.0.0.3;
                            proxy_bind 127.0.0.4;
                            proxy_protocol on;
                            proxy_protocol_version 2;
                            proxy_pass %s;
                            access_log pp.log pp;
                        }
                    }
                    """.formatted(Loopback.hostPort(listen), Loopback.hostPort(backend.address())));
                 HaproxyPeer haproxy = HaproxyPeer.start(Files.createDirectory(directory.resolve("haproxy")), """
                         listen checked
                             mode tcp
                             bind %s
                             server pl %s send-proxy-v2 check check-send-proxy inter 200ms source 127.0.0.3
                         """.formatted(Loopback.hostPort(haproxyListen), Loopback.hostPort(listen)),
                         List.of(haproxyListen))) {

                // proxyline connects upstream only once it accepted a check's LOCAL header, so two upstream
                // connections show two checks went through. Whether the header proxyline sends arrives
                // depends on how fast HAProxy resets its check: epoll sees the reset at once and closes the
                // upstream before writing; when it does arrive it names HAProxy, the socket peer.
                for (int i = 0; i < 2; i++) {
                    ProxyReceiver.Received relayedCheck = backend.next(WAIT);
                    if (relayedCheck.result() instanceof DecodeResult.Complete) {
                        ProxyHeader header = relayedCheck.header();
                        assertThat(header.command()).isEqualTo(Command.PROXY);
                        assertThat(header.sourceAddress().orElseThrow().getAddress()).isEqualTo(Loopback.HAPROXY);
                    } else {
                        assertThat(relayedCheck.bytes()).as("a check cut before the relay started").isEmpty();
                    }
                }
                RawClient.Exchange exchange = RawClient.exchange(haproxyListen, "x");
                assertThat(exchange.text()).as("HAProxy keeps the server up and relays").isEqualTo("ok\n");
                client = Loopback.hostPort(exchange.client());
                proxyline.awaitLine("pp.log", line -> line.startsWith(client + " "), WAIT);
                assertThat(haproxy.output()).doesNotContain("is DOWN");
            }
        }
        // Read after proxyline stopped: every session has ended and written its line by then.
        List<String> lines = Files.readAllLines(directory.resolve("pp.log"));
        assertThat(lines).contains(client + " peer=127.0.0.3 200");
        assertThat(lines).as("no health check logged as a client").noneMatch(line -> line.startsWith("127.0.0.3:"));
    }
}
