package dev.proxyline.it.interop;

import dev.proxyline.it.harness.HaproxyPeer;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.Bytes;
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
 * Headers from our encoder sent to HAProxy {@code bind … accept-proxy}. HAProxy answers with what
 * it took from the header ({@code src}, {@code src_port} and the TLVs it exposes), so each test
 * reads the verdict from the response; HAProxy also verifies the CRC32C, which checks ours.
 */
@Timeout(30)
class HaproxyReceivesProxyTest {
    private static final String REQUEST = "GET /who HTTP/1.1\r\nHost: interop.test\r\nConnection: close\r\n\r\n";
    private static final InetSocketAddress SERVER_V4 = address("10.0.0.30", 80);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path directory;
    private static HaproxyPeer haproxy;
    private static InetSocketAddress acceptProxy;
    private static InetSocketAddress plain;

    @BeforeAll
    static void startHaproxy() {
        acceptProxy = Loopback.freePort(Loopback.HAPROXY);
        plain = Loopback.freePort(Loopback.HAPROXY);
        haproxy = HaproxyPeer.start(directory, """
                frontend accept_proxy
                    mode http
                    bind %s accept-proxy
                    log-format "pp src=%%[src]:%%[src_port] dst=%%[dst]:%%[dst_port] %%ST %%{+Q}r"
                    http-request return status 200 content-type text/plain lf-string "src=%%[src]:%%[src_port] dst=%%[dst]:%%[dst_port] authority=%%[fc_pp_authority] unique-id=%%[fc_pp_unique_id]\\n"

                frontend plain
                    mode http
                    bind %s
                    log-format "plain src=%%[src]:%%[src_port] %%ST %%{+Q}r"
                    http-request return status 200 content-type text/plain lf-string "plain\\n"
                """.formatted(Loopback.hostPort(acceptProxy), Loopback.hostPort(plain)), List.of(acceptProxy, plain));
    }

    @AfterAll
    static void stopHaproxy() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Test
    void v1LineBecomesSrcAndSrcPort() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, address("203.0.113.7", 51234), SERVER_V4));

        RawClient.Exchange exchange = RawClient.exchange(acceptProxy, RawClient.concat(header, REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("src=203.0.113.7:51234 dst=10.0.0.30:80 authority= unique-id=\n");
        assertThat(haproxy.awaitLine(line -> line.startsWith("pp src=203.0.113.7:51234"), WAIT))
                .isEqualTo("pp src=203.0.113.7:51234 dst=10.0.0.30:80 200 \"GET /who HTTP/1.1\"");
    }

    @Test
    void v2Tcp4HeaderBecomesSrcAndSrcPort() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V2, address("203.0.113.8", 40000), SERVER_V4));

        RawClient.Exchange exchange = RawClient.exchange(acceptProxy, RawClient.concat(header, REQUEST));

        assertThat(exchange.body()).isEqualTo("src=203.0.113.8:40000 dst=10.0.0.30:80 authority= unique-id=\n");
    }

    @Test
    void v2HeaderWithAuthorityUniqueIdAndCrc32cPassesHaproxysChecksumAndExposesTheTlvs() {
        RawClient.Exchange exchange = RawClient.exchange(acceptProxy, RawClient.concat(withTlvs(), REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("src=2001:db8::7:50000 dst=2001:db8::30:443 authority=interop.test unique-id=conn-42\n");
    }

    @Test
    void v2HeaderWithACorruptedCrc32cIsRefusedByHaproxy() {
        byte[] header = withTlvs();
        header[header.length - 1] ^= 0x01; // the CRC32C TLV comes last: flip a bit of its value

        RawClient.Exchange exchange = RawClient.exchange(acceptProxy, RawClient.concat(header, REQUEST));

        // Refused before HTTP: no answer, the connection closed (the control above shows the intact header passes).
        assertThat(exchange.answer()).isEmpty();
        // HAProxy drops a connection with a bad header without lingering: the client sees a reset, not a FIN.
        assertThat(exchange.ending()).isEqualTo(RawClient.Ending.RESET);
        // HAProxy 2.6 names the refused header by the source address it claims, not by the socket's.
        assertThat(haproxy.awaitLine(line -> line.contains("invalid PROXY protocol header"), WAIT))
                .startsWith("2001:db8::7:50000 [")
                .endsWith("accept_proxy/1: Received an invalid PROXY protocol header");
    }

    @Test
    void v2LocalHeaderIsAcceptedAndHaproxyKeepsTheSocketAddresses() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.local(ProtocolVersion.V2, List.of()));

        RawClient.Exchange exchange = RawClient.exchange(acceptProxy, RawClient.concat(header, REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("src=127.0.0.7:" + exchange.client().getPort() + " dst="
                + Loopback.hostPort(acceptProxy) + " authority= unique-id=\n");
    }

    @Test
    void misconfigurationPlainHttpToAnAcceptProxyListenerIsClosedWithoutAnAnswer() {
        RawClient.Exchange exchange = RawClient.exchange(acceptProxy, REQUEST);

        assertThat(exchange.answer()).isEmpty();
        // HAProxy drops a connection with a bad header without lingering: the client sees a reset, not a FIN.
        assertThat(exchange.ending()).isEqualTo(RawClient.Ending.RESET);
        assertThat(haproxy.awaitLine(line -> line.contains("does not look like a PROXY protocol header"), WAIT))
                .startsWith("127.0.0.7:" + exchange.client().getPort() + " [")
                .endsWith("accept_proxy/1: Received something which does not look like a PROXY protocol header");
    }

    @Test
    void misconfigurationProxyLineToAPlainHttpListenerIsAnswered400BadRequest() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, address("203.0.113.7", 51234), SERVER_V4));

        RawClient.Exchange exchange = RawClient.exchange(plain, RawClient.concat(header, REQUEST));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 400 Bad request");
        assertThat(haproxy.awaitLine(line -> line.startsWith("plain src=127.0.0.7:" + exchange.client().getPort()), WAIT))
                .endsWith(" 400 \"<BADREQ>\"");
    }

    /** An IPv6 v2 header with AUTHORITY, UNIQUE_ID and a CRC32C (last) filled in by our encoder. */
    private static byte[] withTlvs() {
        ProxyHeader header = ProxyHeader.proxy(ProtocolVersion.V2, TransportProtocol.STREAM,
                address("2001:db8::7", 50000), address("2001:db8::30", 443), List.of(
                        Tlv.Authority.of("interop.test"),
                        new Tlv.UniqueId(Bytes.of("conn-42", StandardCharsets.US_ASCII)),
                        Tlv.Crc32c.PLACEHOLDER));
        return ProxyHeaderEncoder.encode(header);
    }

    private static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
