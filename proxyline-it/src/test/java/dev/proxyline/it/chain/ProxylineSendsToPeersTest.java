package dev.proxyline.it.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HaproxyPeer;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.RawClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxyline L4 balancer ({@code proxy_protocol on}: v1, v2, v2 with TLVs and CRC32C) in front of
 * nginx's {@code listen … proxy_protocol} and HAProxy's {@code accept-proxy}: each peer must see the
 * client (127.0.0.7), not proxyline (127.0.0.4). HAProxy verifies the CRC32C. And the
 * misconfiguration: proxyline sending to a peer that does not expect a header.
 */
@Timeout(30)
class ProxylineSendsToPeersTest {
    private static final String REQUEST = "GET /who HTTP/1.1\r\nHost: interop.test\r\nConnection: close\r\n\r\n";
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** What proxyline sends, as {@code proxy_protocol*} directives of a stream server. */
    enum Sending {
        V1("proxy_protocol on;"),
        V2("proxy_protocol on; proxy_protocol_version 2;"),
        V2_TLVS_CRC32C("proxy_protocol on; proxy_protocol_version 2; proxy_protocol_crc32c on;"
                + " proxy_protocol_tlv authority interop.test; proxy_protocol_tlv unique_id \"$remote_addr:$remote_port\";");

        final String directives;

        Sending(String directives) {
            this.directives = directives;
        }
    }

    private static Path directory;
    private static NginxPeer nginx;
    private static HaproxyPeer haproxy;
    private static Proxyline proxyline;
    private static final Map<Sending, InetSocketAddress> TO_NGINX = new EnumMap<>(Sending.class);
    private static final Map<Sending, InetSocketAddress> TO_HAPROXY = new EnumMap<>(Sending.class);
    private static InetSocketAddress toPlainNginx;
    private static InetSocketAddress toPlainHaproxy;

    @BeforeAll
    static void start() throws Exception {
        directory = Files.createTempDirectory("proxyline-sends");
        InetSocketAddress nginxPp = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress nginxPlain = Loopback.freePort(Loopback.NGINX);
        nginx = NginxPeer.start(Files.createDirectory(directory.resolve("nginx")), """
                http {
                    log_format pp 'pp=$proxy_protocol_addr:$proxy_protocol_port server=$proxy_protocol_server_addr:$proxy_protocol_server_port remote=$remote_addr "$request" $status';
                %s
                    server {
                        listen %s proxy_protocol;
                        set_real_ip_from 127.0.0.4;
                        real_ip_header proxy_protocol;
                        return 200 "pp=$proxy_protocol_addr:$proxy_protocol_port remote=$remote_addr\\n";
                    }
                    server {
                        listen %s;
                        return 200 "plain remote=$remote_addr\\n";
                    }
                }
                """.formatted(NginxPeer.httpHousekeeping(directory.resolve("nginx")), Loopback.hostPort(nginxPp),
                Loopback.hostPort(nginxPlain)), List.of(nginxPp, nginxPlain));
        InetSocketAddress haproxyPp = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress haproxyPlain = Loopback.freePort(Loopback.HAPROXY);
        haproxy = HaproxyPeer.start(Files.createDirectory(directory.resolve("haproxy")), """
                frontend accept_proxy
                    mode http
                    bind %s accept-proxy
                    log-format "pp src=%%[src]:%%[src_port] dst=%%[dst]:%%[dst_port] authority=%%[fc_pp_authority] unique-id=%%[fc_pp_unique_id] %%ST"
                    http-request return status 200 content-type text/plain lf-string "src=%%[src]:%%[src_port] dst=%%[dst]:%%[dst_port] authority=%%[fc_pp_authority] unique-id=%%[fc_pp_unique_id]\\n"

                frontend plain
                    mode http
                    bind %s
                    log-format "plain src=%%[src]:%%[src_port] %%ST %%{+Q}r"
                    http-request return status 200 content-type text/plain lf-string "plain\\n"
                """.formatted(Loopback.hostPort(haproxyPp), Loopback.hostPort(haproxyPlain)),
                List.of(haproxyPp, haproxyPlain));

        StringBuilder servers = new StringBuilder();
        for (Sending sending : Sending.values()) {
            TO_NGINX.put(sending, server(servers, sending.directives, nginxPp));
            TO_HAPROXY.put(sending, server(servers, sending.directives, haproxyPp));
        }
        // The misconfigured hops read the client's request before they connect (ssl_preread finds it is not TLS and
        // stops there), so the header and the request reach the peer in one write: see the misconfigured cases.
        toPlainNginx = server(servers, Sending.V1.directives + " ssl_preread on;", nginxPlain);
        toPlainHaproxy = server(servers, Sending.V2.directives + " ssl_preread on;", haproxyPlain);
        proxyline = Proxyline.start(directory, "stream {\n" + servers + "}\n");
    }

    /** Adds a stream server that sends {@code directives} to {@code upstream}; returns its listen address. */
    private static InetSocketAddress server(StringBuilder servers, String directives, InetSocketAddress upstream) {
        InetSocketAddress listen = Loopback.freePort(Loopback.PROXYLINE);
        servers.append("""
                    server {
                        listen %s;
                        proxy_bind 127.0.0.4;
                        %s
                        proxy_pass %s;
                    }
                """.formatted(Loopback.hostPort(listen), directives, Loopback.hostPort(upstream)));
        return listen;
    }

    @AfterAll
    static void stop() {
        if (proxyline != null) {
            proxyline.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void nginxSeesTheClientInProxyProtocolAddrAndRemoteAddr(Sending sending) {
        InetSocketAddress listen = TO_NGINX.get(sending);

        RawClient.Exchange exchange = RawClient.exchange(listen, REQUEST);

        String client = exchange.client().getAddress().getHostAddress() + ":" + exchange.client().getPort();
        assertThat(exchange.client().getAddress()).isEqualTo(Loopback.CLIENT);
        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("pp=" + client + " remote=127.0.0.7\n");
        assertThat(nginx.awaitLine("access.log", line -> line.startsWith("pp=" + client + " "), WAIT))
                .isEqualTo("pp=" + client + " server=" + Loopback.hostPort(listen)
                        + " remote=127.0.0.7 \"GET /who HTTP/1.1\" 200");
    }

    @ParameterizedTest
    @EnumSource(Sending.class)
    void haproxySeesTheClientAsSrcAndReadsTheTlvsAfterCheckingTheCrc32c(Sending sending) {
        InetSocketAddress listen = TO_HAPROXY.get(sending);

        RawClient.Exchange exchange = RawClient.exchange(listen, REQUEST);

        String client = Loopback.hostPort(exchange.client());
        String tlvs = sending == Sending.V2_TLVS_CRC32C ? "authority=interop.test unique-id=" + client
                : "authority= unique-id=";
        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("src=" + client + " dst=" + Loopback.hostPort(listen) + " " + tlvs + "\n");
        // HAProxy logs an empty fetch as "-".
        assertThat(haproxy.awaitLine(line -> line.startsWith("pp src=" + client + " "), WAIT))
                .isEqualTo("pp src=" + client + " dst=" + Loopback.hostPort(listen) + " "
                        + tlvs.replace("authority= unique-id=", "authority=- unique-id=-") + " 200");
    }

    @Test
    void misconfiguredNginxWithoutProxyProtocolAnswers400ToTheHeaderTakenForARequestLine() {
        RawClient.Exchange exchange = RawClient.exchange(toPlainNginx, REQUEST);

        // proxyline relays nginx's answer and its FIN, then closes the client: an orderly close, because proxyline
        // read the whole request before it connected (ssl_preread on) and nothing of the client's is left unread.
        // Without the preread, proxyline (as an nginx balancer) connects at once and the header goes out alone
        // when the request is not in yet; nginx answers the header, and when its FIN ends the session before the
        // balancer read the request (or the request arrives after the close), the balancer's kernel answers with
        // a reset instead of a FIN: CLOSED or RESET by timing, which a client cannot tell apart from outside.
        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(exchange.ending()).isEqualTo(RawClient.Ending.CLOSED);
        String client = Loopback.hostPort(exchange.client());
        String proxyLine = "PROXY TCP4 127.0.0.7 127.0.0.4 " + exchange.client().getPort() + " " + toPlainNginx.getPort();
        assertThat(nginx.awaitLine("access.log", line -> line.contains(proxyLine), WAIT))
                .as("nginx logs the header as the request, from proxyline's address, not " + client)
                .isEqualTo("pp=-:- server=-:- remote=127.0.0.4 \"" + proxyLine + "\" 400");
    }

    @Test
    void misconfiguredHaproxyWithoutAcceptProxyAnswers400BadRequest() {
        RawClient.Exchange exchange = RawClient.exchange(toPlainHaproxy, REQUEST);

        // A v2 header is binary: HAProxy's HTTP parser refuses it as a bad request, as it does a v1 line.
        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 400 Bad request");
        // Orderly, as with nginx above: the header and the request arrive in one write, HAProxy reads both before
        // it answers and closes, and proxyline has nothing of the client's left unread when it closes the client.
        assertThat(exchange.ending()).isEqualTo(RawClient.Ending.CLOSED);
        assertThat(haproxy.awaitLine(line -> line.startsWith("plain src=127.0.0.4:"), WAIT))
                .endsWith(" 400 \"<BADREQ>\"");
    }
}
