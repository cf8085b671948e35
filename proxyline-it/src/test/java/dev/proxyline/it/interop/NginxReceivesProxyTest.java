package dev.proxyline.it.interop;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headers from our encoder sent to nginx's http module, {@code listen … proxy_protocol}: nginx must
 * take the addresses from them and then answer the HTTP request that follows. Also the two
 * misconfigurations, as nginx shows them to a client.
 */
@Timeout(30)
class NginxReceivesProxyTest {
    private static final String REQUEST = "GET /who HTTP/1.1\r\nHost: interop.test\r\nConnection: close\r\n\r\n";
    private static final InetSocketAddress CLIENT_V4 = address("203.0.113.7", 51234);
    private static final InetSocketAddress SERVER_V4 = address("10.0.0.30", 80);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path directory;
    private static NginxPeer nginx;
    /** {@code listen … proxy_protocol}, with the real IP taken from the header. */
    private static InetSocketAddress withProxyProtocol;
    /** A plain listener, for the misconfiguration in which a sender adds a header nobody expects. */
    private static InetSocketAddress plain;

    @BeforeAll
    static void startNginx() {
        withProxyProtocol = Loopback.freePort(Loopback.NGINX);
        plain = Loopback.freePort(Loopback.NGINX);
        nginx = NginxPeer.start(directory, """
                http {
                    log_format pp 'pp=$proxy_protocol_addr:$proxy_protocol_port server=$proxy_protocol_server_addr:$proxy_protocol_server_port remote=$remote_addr "$request" $status';
                %s
                    server {
                        listen %s proxy_protocol;
                        set_real_ip_from 127.0.0.0/8;
                        real_ip_header proxy_protocol;
                        location / {
                            return 200 "pp=$proxy_protocol_addr:$proxy_protocol_port remote=$remote_addr\\n";
                        }
                    }
                    server {
                        listen %s;
                        location / {
                            return 200 "plain remote=$remote_addr\\n";
                        }
                    }
                }
                """.formatted(NginxPeer.httpHousekeeping(directory), Loopback.hostPort(withProxyProtocol), Loopback.hostPort(plain)),
                List.of(withProxyProtocol, plain));
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void v1LineSetsProxyProtocolAddrAndPortAndNginxAnswersTheRequestBehindIt() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, CLIENT_V4, SERVER_V4));

        RawClient.Exchange exchange = RawClient.exchange(withProxyProtocol, RawClient.concat(header, REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("pp=203.0.113.7:51234 remote=203.0.113.7\n");
        assertThat(nginx.awaitLine("access.log", line -> line.contains("pp=203.0.113.7:51234 server=10.0.0.30:80"), WAIT))
                .endsWith("remote=203.0.113.7 \"GET /who HTTP/1.1\" 200");
    }

    @Test
    void v2Tcp4HeaderIsAcceptedLikeTheV1Line() {
        InetSocketAddress client = address("203.0.113.8", 40000);
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V2, client, SERVER_V4));

        RawClient.Exchange exchange = RawClient.exchange(withProxyProtocol, RawClient.concat(header, REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("pp=203.0.113.8:40000 remote=203.0.113.8\n");
        nginx.awaitLine("access.log", line -> line.startsWith("pp=203.0.113.8:40000 server=10.0.0.30:80"), WAIT);
    }

    @Test
    void v2Tcp6HeaderWithTlvsAndCrc32cIsAcceptedAndItsTlvsSkipped() {
        InetSocketAddress client = address("2001:db8::7", 50000);
        InetSocketAddress server = address("2001:db8::30", 443);
        ProxyHeader header = ProxyHeader.proxy(ProtocolVersion.V2, TransportProtocol.STREAM, client, server, List.of(
                Tlv.Authority.of("interop.test"),
                new Tlv.UniqueId(dev.proxyline.protocol.Bytes.of("conn-42", StandardCharsets.US_ASCII)),
                Tlv.Noop.ofLength(3),
                Tlv.Crc32c.PLACEHOLDER));

        RawClient.Exchange exchange = RawClient.exchange(withProxyProtocol,
                RawClient.concat(ProxyHeaderEncoder.encode(header), REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("pp=2001:db8::7:50000 remote=2001:db8::7\n");
    }

    @Test
    void v1Tcp6LineIsAccepted() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1,
                address("2001:db8::9", 1), address("2001:db8::30", 80)));

        RawClient.Exchange exchange = RawClient.exchange(withProxyProtocol, RawClient.concat(header, REQUEST));

        assertThat(exchange.body()).isEqualTo("pp=2001:db8::9:1 remote=2001:db8::9\n");
    }

    @Test
    void v2LocalHeaderLeavesTheProxyProtocolVariablesEmptyAndTheSocketAddressInPlace() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.local(ProtocolVersion.V2, List.of()));

        RawClient.Exchange exchange = RawClient.exchange(withProxyProtocol, RawClient.concat(header, REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("pp=: remote=127.0.0.7\n");
    }

    @Test
    void misconfigurationPlainHttpToAProxyProtocolListenerIsClosedWithoutAnAnswerAndLoggedAsBrokenHeader() {
        RawClient.Exchange exchange = RawClient.exchange(withProxyProtocol, REQUEST);

        // nginx 1.22 neither answers 400 nor logs an access line: it closes the connection.
        assertThat(exchange.answer()).isEmpty();
        assertThat(exchange.ending()).isEqualTo(RawClient.Ending.CLOSED);
        // The line quotes the bytes received, CRLFs included, so the entry spans several lines.
        assertThat(nginx.awaitLine("error.log", line -> line.contains("broken header"), WAIT))
                .contains("[error]")
                .endsWith("broken header: \"GET /who HTTP/1.1");
        assertThat(nginx.errorLog()).contains("while reading PROXY protocol, client: 127.0.0.7, server: "
                + Loopback.hostPort(withProxyProtocol));
    }

    @Test
    void misconfigurationProxyLineToAPlainListenerIsAnswered400BadRequest() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, CLIENT_V4, SERVER_V4));

        RawClient.Exchange exchange = RawClient.exchange(plain, RawClient.concat(header, REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(exchange.ending()).isEqualTo(RawClient.Ending.CLOSED);
        assertThat(nginx.awaitLine("access.log", line -> line.contains("\"PROXY TCP4"), WAIT))
                .isEqualTo("pp=-:- server=-:- remote=127.0.0.7 \"PROXY TCP4 203.0.113.7 10.0.0.30 51234 80\" 400");
    }

    private static InetSocketAddress address(String literal, int port) {
        try {
            // Literals only: getByName on an address literal never resolves a name.
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
