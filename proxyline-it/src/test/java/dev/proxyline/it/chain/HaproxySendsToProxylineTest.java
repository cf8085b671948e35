package dev.proxyline.it.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.HaproxySenders;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.ProxyReceiver;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HAProxy in front of proxyline's L4 listener ({@code listen … proxy_protocol}, trusting HAProxy's
 * 127.0.0.3): {@code send-proxy}, {@code send-proxy-v2}, v2 with CRC32C and UNIQUE_ID, and with the
 * SSL TLVs of a TLS frontend. proxyline passes the client on in its own v2 header to a backend
 * (127.0.0.1) and logs it as {@code $remote_addr}, the TLVs as {@code $proxy_protocol_tlv_*}. Also
 * a corrupted CRC32C, and the two misconfigurations with HAProxy as the sender.
 */
@Timeout(30)
class HaproxySendsToProxylineTest {
    private static final String PAYLOAD = "hello through haproxy and proxyline\n";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String LOG_FORMAT = "log_format pp '$remote_addr:$remote_port peer=$realip_remote_addr"
            + " authority=$proxy_protocol_tlv_authority unique_id=$proxy_protocol_tlv_unique_id"
            + " ssl_version=$proxy_protocol_tlv_ssl_version ssl_cn=$proxy_protocol_tlv_ssl_cn $status';";

    private static Path directory;
    private static ProxyReceiver backend;
    private static Proxyline proxyline;
    private static HaproxySenders haproxy;
    /** proxyline's listener that expects a header from HAProxy (and from the client, for the CRC test). */
    private static InetSocketAddress proxylinePp;

    @BeforeAll
    static void start() throws Exception {
        directory = Files.createTempDirectory("haproxy-to-proxyline");
        backend = ProxyReceiver.start(ProxyReceiver.bytes(1), "ok\n");
        proxylinePp = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress proxylinePlain = Loopback.freePort(Loopback.PROXYLINE);
        proxyline = Proxyline.start(directory, """
                stream {
                    %s
                    log_format plain '$remote_addr $status';
                    server {
                        listen %s proxy_protocol;
                        set_real_ip_from 127.0.0.3;
                        set_real_ip_from 127.0.0.7;
                        proxy_bind 127.0.0.4;
                        proxy_protocol on;
                        proxy_protocol_version 2;
                        proxy_pass %s;
                        access_log pp.log pp;
                    }
                    server {
                        listen %s;
                        proxy_bind 127.0.0.4;
                        proxy_pass %s;
                        access_log plain.log plain;
                    }
                }
                """.formatted(LOG_FORMAT, Loopback.hostPort(proxylinePp), Loopback.hostPort(backend.address()),
                Loopback.hostPort(proxylinePlain), Loopback.hostPort(backend.address())));

        haproxy = HaproxySenders.start(directory, proxylinePp, proxylinePlain);
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (proxyline != null) {
            proxyline.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void sendProxyV1ReachesTheBackendAsTheClientAndIsLoggedAsRemoteAddr() {
        InetSocketAddress client = relay(haproxy.sendProxy());

        assertThat(logLine(client)).isEqualTo(Loopback.hostPort(client)
                + " peer=127.0.0.3 authority=- unique_id=- ssl_version=- ssl_cn=- 200");
    }

    @Test
    void sendProxyV2ReachesTheBackendAsTheClient() {
        InetSocketAddress client = relay(haproxy.sendProxyV2());

        assertThat(logLine(client)).isEqualTo(Loopback.hostPort(client)
                + " peer=127.0.0.3 authority=- unique_id=- ssl_version=- ssl_cn=- 200");
    }

    @Test
    void sendProxyV2WithCrc32cAndUniqueIdIsVerifiedAndTheUniqueIdLogged() {
        InetSocketAddress client = relay(haproxy.sendProxyV2Options());

        // HAProxy sends no AUTHORITY on plain TCP; proxyline refuses a header whose CRC32C does not match.
        assertThat(logLine(client)).isEqualTo(Loopback.hostPort(client) + " peer=127.0.0.3 authority=- unique_id="
                + Loopback.hostPort(client) + " ssl_version=- ssl_cn=- 200");
    }

    @Test
    void haproxyTerminatingTlsSendsSslTlvsThatProxylineLogsAsVariables() {
        Path curl = Interop.requireBinary("curl");
        Commands.Result result = Commands.runForResult(List.of(curl.toString(), "-sS", "--max-time", "10",
                "--cacert", haproxy.serverCertificate().certificate().toString(),
                "--cert", haproxy.clientCertificate().certificate().toString(),
                "--key", haproxy.clientCertificate().key().toString(),
                "--http0.9", "--interface", "127.0.0.7", "-w", "\n%{local_ip}:%{local_port}",
                "--resolve", "interop.test:" + haproxy.tls().getPort() + ":127.0.0.3",
                "https://interop.test:" + haproxy.tls().getPort() + "/through-tls"), Duration.ofSeconds(15));

        // The backend answers a bare "ok\n" (hence --http0.9); curl prints it and then its own socket address.
        assertThat(result.output()).startsWith("ok\n\n127.0.0.7:");
        String client = result.output().substring("ok\n\n".length()).strip();
        String line = proxyline.awaitLine("pp.log", logged -> logged.startsWith(client + " "), WAIT);
        assertThat(line).matches(Pattern.quote(client + " peer=127.0.0.3 authority=interop.test unique_id=-"
                + " ssl_version=") + "TLSv1\\.[23]" + Pattern.quote(" ssl_cn=interop-client 200"));
        ProxyReceiver.Received received = backend.nextFrom(Loopback.parseIpPort(client), WAIT);
        assertThat(received.payloadText()).startsWith("GET /through-tls HTTP/1.1\r\n");
    }

    @Test
    void aHeaderWithACorruptedCrc32cIsRefusedAndLogged400() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.proxy(ProtocolVersion.V2,
                TransportProtocol.STREAM, Loopback.parseIpPort("203.0.113.7:51234"), proxylinePp,
                List.of(Tlv.Authority.of("interop.test"), Tlv.Crc32c.PLACEHOLDER)));
        byte[] control = header.clone();
        header[header.length - 1] ^= 0x01; // the CRC32C TLV comes last: flip a bit of its value

        RawClient.Exchange refused = RawClient.exchange(proxylinePp, RawClient.concat(header, PAYLOAD));
        RawClient.Exchange accepted = RawClient.exchange(proxylinePp, RawClient.concat(control, PAYLOAD));

        assertThat(refused.answer()).isEmpty();
        assertThat(refused.ending()).isNotEqualTo(RawClient.Ending.STILL_OPEN);
        assertThat(logLine(refused.client())).isEqualTo(Loopback.hostPort(refused.client())
                + " peer=127.0.0.7 authority=- unique_id=- ssl_version=- ssl_cn=- 400");
        assertThat(accepted.text()).isEqualTo("ok\n");
        assertThat(proxyline.awaitLine("pp.log", line -> line.startsWith("203.0.113.7:51234 "), WAIT))
                .isEqualTo("203.0.113.7:51234 peer=127.0.0.7 authority=interop.test unique_id=- ssl_version=- ssl_cn=- 200");
    }

    @Test
    void misconfiguredListenerWithoutProxyProtocolRelaysHaproxysHeaderToTheBackendAndLogsHaproxy() {
        RawClient.Exchange exchange = RawClient.exchange(haproxy.headerToPlain(), PAYLOAD);

        // As nginx's stream module does without proxy_protocol on the listen: the header is payload.
        ProxyReceiver.Received received = backend.nextFrom(exchange.client(), WAIT);
        assertThat(new String(received.bytes(), StandardCharsets.ISO_8859_1)).isEqualTo(
                "PROXY TCP4 127.0.0.7 127.0.0.3 " + exchange.client().getPort() + " " + haproxy.headerToPlain().getPort()
                        + "\r\n" + PAYLOAD);
        assertThat(proxyline.awaitLine("plain.log", line -> line.endsWith(" 200"), WAIT))
                .as("proxyline sees HAProxy, not the client").isEqualTo("127.0.0.3 200");
    }

    @Test
    void misconfiguredHaproxyWithoutSendProxyIsRefusedByProxylineLogged400AndDiagnosed() {
        try (LogCapture diagnosis = LogCapture.of("dev.proxyline")) {
            RawClient.Exchange exchange = RawClient.exchange(haproxy.noHeader(), PAYLOAD);

            assertThat(exchange.answer()).isEmpty();
            assertThat(exchange.ending()).isNotEqualTo(RawClient.Ending.STILL_OPEN);
            assertThat(proxyline.awaitLine("pp.log", line -> line.startsWith("127.0.0.3:") && line.endsWith(" 400"), WAIT))
                    .startsWith("127.0.0.3:");
            // One line naming the peer and quoting what it sent instead of a header.
            assertThat(diagnosis.awaitLine(line -> line.contains("not a PROXY protocol header"), WAIT))
                    .contains("from 127.0.0.3:").contains("\"" + PAYLOAD.substring(0, 5));
        }
    }

    /** Sends {@link #PAYLOAD} from the client through {@code haproxy}; the backend must get it with the client's address. */
    private static InetSocketAddress relay(InetSocketAddress haproxyListen) {
        RawClient.Exchange exchange = RawClient.exchange(haproxyListen, PAYLOAD);
        assertThat(exchange.text()).isEqualTo("ok\n");
        ProxyReceiver.Received received = backend.nextFrom(exchange.client(), WAIT);
        ProxyHeader header = received.header();
        assertThat(header.version()).isEqualTo(ProtocolVersion.V2);
        assertThat(header.destinationAddress()).contains(haproxyListen);
        assertThat(received.sender().getAddress()).isEqualTo(Loopback.PROXYLINE);
        assertThat(received.payloadText()).startsWith(PAYLOAD.substring(0, 1));
        return exchange.client();
    }

    private static String logLine(InetSocketAddress client) {
        return proxyline.awaitLine("pp.log", line -> line.startsWith(Loopback.hostPort(client) + " "), WAIT);
    }
}
