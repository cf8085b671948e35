package dev.proxyline.it.interop;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.HaproxyPeer;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.ProxyReceiver;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.Endpoints;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HAProxy as the sender in front of our decoder: {@code send-proxy}, {@code send-proxy-v2}, TLVs, checks. */
@Timeout(30)
class HaproxySendsProxyTest {
    private static final String PAYLOAD = "hello through haproxy\n";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;
    private ProxyReceiver receiver;
    private HaproxyPeer haproxy;
    private InetSocketAddress listen;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void sendProxyWritesAV1LineWithTheClientAndTheFrontendAddress() {
        startTcp("send-proxy", "");

        RawClient.Exchange exchange = RawClient.exchange(listen, PAYLOAD);
        ProxyReceiver.Received received = receiver.next(WAIT);

        ProxyHeader header = received.header();
        assertThat(header.version()).isEqualTo(ProtocolVersion.V1);
        assertThat(header.family()).isEqualTo(AddressFamily.INET);
        assertThat(header.sourceAddress()).contains(exchange.client());
        assertThat(header.destinationAddress()).contains(listen);
        assertThat(received.payloadText()).isEqualTo(PAYLOAD);
        assertThat(exchange.text()).isEqualTo("ok\n");
    }

    @Test
    void sendProxyV2WritesABinaryTcp4HeaderWithoutTlvs() {
        startTcp("send-proxy-v2", "");

        RawClient.Exchange exchange = RawClient.exchange(listen, PAYLOAD);
        ProxyReceiver.Received received = receiver.next(WAIT);

        ProxyHeader header = received.header();
        assertThat(header.version()).isEqualTo(ProtocolVersion.V2);
        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.family()).isEqualTo(AddressFamily.INET);
        assertThat(header.transport()).isEqualTo(TransportProtocol.STREAM);
        assertThat(header.sourceAddress()).contains(exchange.client());
        assertThat(header.destinationAddress()).contains(listen);
        assertThat(header.tlvs()).isEmpty();
        assertThat(received.complete().length()).isEqualTo(16 + 12);
        assertThat(received.payloadText()).isEqualTo(PAYLOAD);
    }

    @Test
    void sendProxyV2FromAnIpv6ClientWritesATcp6HeaderWithBothIpv6Addresses() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        Assumptions.assumeTrue(Loopback.ipv6Works(), "::1 is not usable on this machine");
        receiver = ProxyReceiver.start(ProxyReceiver.bytes(PAYLOAD.length()), "ok\n");
        listen = Loopback.freePort(v6);
        haproxy = HaproxyPeer.start(directory, """
                listen relay6
                    mode tcp
                    bind [::1]:%d
                    server app %s send-proxy-v2
                """.formatted(listen.getPort(), Loopback.hostPort(receiver.address())), List.of(listen));

        InetSocketAddress client;
        try (Socket socket = new Socket(v6, listen.getPort())) {
            client = (InetSocketAddress) socket.getLocalSocketAddress();
            socket.getOutputStream().write(PAYLOAD.getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout((int) WAIT.toMillis());
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ok\n");
        }
        ProxyReceiver.Received received = receiver.nextFrom(client, WAIT);

        ProxyHeader header = received.header();
        assertThat(header.family()).isEqualTo(AddressFamily.INET6);
        assertThat(received.complete().length()).isEqualTo(16 + 36);
        assertThat(header.sourceAddress()).contains(client);
        assertThat(header.destinationAddress()).contains(listen);
        assertThat(received.payloadText()).isEqualTo(PAYLOAD);
    }

    @Test
    void proxyV2OptionsAddAVerifiedCrc32cAndTheUniqueIdButNoAuthorityWithoutTls() {
        // The unique id is built from the client's address, so it can be checked against the socket.
        startTcp("send-proxy-v2 proxy-v2-options crc32c,unique-id,authority", "    unique-id-format %ci:%cp\n");

        RawClient.Exchange exchange = RawClient.exchange(listen, PAYLOAD);
        ProxyReceiver.Received received = receiver.next(WAIT);

        // Complete means the decoder recomputed the CRC32C and it matched.
        ProxyHeader header = received.header();
        assertThat(header.sourceAddress()).contains(exchange.client());
        assertThat(header.tlv(Tlv.Crc32c.class)).isPresent();
        assertThat(header.tlv(Tlv.UniqueId.class)).map(id -> id.id().asString(StandardCharsets.US_ASCII))
                .contains("127.0.0.7:" + exchange.client().getPort());
        // HAProxy takes the authority from the client's TLS SNI (or a received header); plain TCP has none.
        assertThat(header.tlv(Tlv.Authority.class)).isEmpty();
        assertThat(received.payloadText()).isEqualTo(PAYLOAD);
    }

    @Test
    void haproxyTerminatingTlsSendsSslTlvsWithVersionCipherClientCnAndTheSniAsAuthority() {
        Path curl = Interop.requireBinary("curl");
        Certificates.Pair server = Certificates.selfSigned(directory, "server", "interop.test");
        Certificates.Pair client = Certificates.selfSigned(directory, "client", "interop-client");
        receiver = ProxyReceiver.start(ProxyReceiver.httpRequestHead(),
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
        listen = Loopback.freePort(Loopback.HAPROXY);
        haproxy = HaproxyPeer.start(directory, """
                listen tls
                    mode tcp
                    log-format "client=%%ci:%%cp"
                    bind %s ssl crt %s ca-file %s verify optional
                    server app %s send-proxy-v2 proxy-v2-options ssl,cert-cn,ssl-cipher,authority,crc32c
                """.formatted(Loopback.hostPort(listen), server.combined(), client.certificate(),
                Loopback.hostPort(receiver.address())), List.of(listen));

        Commands.Result result = Commands.runForResult(List.of(curl.toString(), "-sS", "--max-time", "10",
                "--cacert", server.certificate().toString(),
                "--cert", client.certificate().toString(), "--key", client.key().toString(),
                "--interface", "127.0.0.7",
                "--resolve", "interop.test:" + listen.getPort() + ":127.0.0.3",
                "https://interop.test:" + listen.getPort() + "/through-tls"), Duration.ofSeconds(15));
        ProxyReceiver.Received received = receiver.next(WAIT);

        assertThat(result.output()).isEqualTo("ok\n");
        ProxyHeader header = received.header();
        String logged = haproxy.awaitLine(line -> line.startsWith("client="), WAIT);
        assertThat("client=" + Loopback.hostPort(header.sourceAddress().orElseThrow())).isEqualTo(logged);
        assertThat(header.destinationAddress()).contains(listen);
        assertThat(header.tlv(Tlv.Crc32c.class)).isPresent();
        assertThat(header.tlv(Tlv.Authority.class)).map(Tlv.Authority::hostName).contains("interop.test");
        Tlv.Ssl ssl = header.tlv(Tlv.Ssl.class).orElseThrow();
        assertThat(ssl.isSsl()).isTrue();
        assertThat(ssl.clientCertificateOnConnection()).isTrue();
        assertThat(ssl.verified()).isTrue();
        assertThat(ssl.version()).hasValueSatisfying(version -> assertThat(version).startsWith("TLSv1."));
        assertThat(ssl.commonName()).contains("interop-client");
        assertThat(ssl.cipher()).hasValueSatisfying(cipher -> assertThat(cipher).isNotBlank());
        // What follows the header is the decrypted HTTP request.
        assertThat(received.payloadText()).startsWith("GET /through-tls HTTP/1.1\r\nHost: interop.test:" + listen.getPort() + "\r\n");
    }

    @Test
    void checkSendProxyWithSendProxyV2HealthChecksAreV2LocalHeadersWithoutAddresses() {
        receiver = ProxyReceiver.start(ProxyReceiver.bytes(1), "");
        listen = Loopback.freePort(Loopback.HAPROXY);
        haproxy = HaproxyPeer.start(directory, checkedBackend("send-proxy-v2"), List.of(listen));

        ProxyReceiver.Received check = receiver.next(WAIT);

        ProxyHeader header = check.header();
        assertThat(header.version()).isEqualTo(ProtocolVersion.V2);
        assertThat(header.command()).isEqualTo(Command.LOCAL);
        assertThat(header.family()).isEqualTo(AddressFamily.UNSPEC);
        assertThat(header.endpoints()).isEqualTo(Endpoints.Unspecified.INSTANCE);
        assertThat(header.useConnectionAddresses()).isTrue();
        assertThat(check.payload()).isEmpty();
        assertThat(check.closedBySender()).isTrue();
    }

    @Test
    void checkSendProxyWithSendProxyHealthChecksAreV1LinesWithTheChecksOwnSocketAddresses() {
        receiver = ProxyReceiver.start(ProxyReceiver.bytes(1), "");
        listen = Loopback.freePort(Loopback.HAPROXY);
        haproxy = HaproxyPeer.start(directory, checkedBackend("send-proxy"), List.of(listen));

        ProxyReceiver.Received check = receiver.next(WAIT);

        // v1 has no LOCAL: HAProxy 2.6 describes the check connection itself, from its socket.
        ProxyHeader header = check.header();
        assertThat(header.version()).isEqualTo(ProtocolVersion.V1);
        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.sourceAddress()).contains(check.sender());
        assertThat(header.destinationAddress()).contains(receiver.address());
        assertThat(check.payload()).isEmpty();
    }

    private String checkedBackend(String sendProxy) {
        return """
                listen checked
                    mode tcp
                    bind %s
                    server app %s %s check check-send-proxy inter 200ms
                """.formatted(Loopback.hostPort(listen), Loopback.hostPort(receiver.address()), sendProxy);
    }

    private void startTcp(String serverOptions, String extraLines) {
        receiver = ProxyReceiver.start(ProxyReceiver.bytes(PAYLOAD.length()), "ok\n");
        listen = Loopback.freePort(Loopback.HAPROXY);
        haproxy = HaproxyPeer.start(directory, """
                listen relay
                    mode tcp
                    bind %s
                %s    server app %s %s
                """.formatted(Loopback.hostPort(listen), extraLines, Loopback.hostPort(receiver.address()), serverOptions),
                List.of(listen));
    }
}
