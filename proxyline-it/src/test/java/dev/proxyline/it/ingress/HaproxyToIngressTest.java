package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.HaproxySenders;
import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HAProxy ({@code mode tcp}, from 127.0.0.3) as the L4 balancer in front of proxyline's ingress:
 * {@code send-proxy}, {@code send-proxy-v2}, v2 with CRC32C and UNIQUE_ID, and a TLS frontend's SSL
 * TLVs and AUTHORITY. The ingress gives the app the client in {@code X-Real-IP} and {@code
 * X-Forwarded-For}, and the TLVs through {@code proxy_set_header … $proxy_protocol_tlv_*}. Also a
 * corrupted CRC32C, and the two misconfigurations with HAProxy as the balancer.
 */
@Timeout(30)
class HaproxyToIngressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static HttpBackend app;
    private static Proxyline proxyline;
    private static HaproxySenders haproxy;
    private static InetSocketAddress ingressPp;
    private static InetSocketAddress ingressPlain;

    @BeforeAll
    static void start() throws Exception {
        Path directory = Files.createTempDirectory("haproxy-to-ingress");
        app = HttpBackend.start();
        ingressPp = Loopback.freePort(Loopback.PROXYLINE);
        ingressPlain = Loopback.freePort(Loopback.PROXYLINE);
        proxyline = Proxyline.start(directory, """
                http {
                    log_format ingress '$remote_addr:$remote_port peer=$realip_remote_addr "$request" $status';
                    server {
                        listen %1$s proxy_protocol;
                        set_real_ip_from 127.0.0.3;
                        set_real_ip_from 127.0.0.7;
                        real_ip_header proxy_protocol;
                        access_log ingress.log ingress;
                        location / {
                            proxy_set_header X-Authority $proxy_protocol_tlv_authority;
                            proxy_set_header X-Unique-ID $proxy_protocol_tlv_unique_id;
                            proxy_set_header X-SSL-Version $proxy_protocol_tlv_ssl_version;
                            proxy_set_header X-SSL-CN $proxy_protocol_tlv_ssl_cn;
                            proxy_pass http://%3$s;
                        }
                    }
                    server {
                        listen %2$s;
                        access_log plain.log ingress;
                        location / { proxy_pass http://%3$s; }
                    }
                }
                """.formatted(Loopback.hostPort(ingressPp), Loopback.hostPort(ingressPlain),
                Loopback.hostPort(app.address())));

        haproxy = HaproxySenders.start(directory, ingressPp, ingressPlain);
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (proxyline != null) {
            proxyline.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void sendProxyV1GivesTheAppTheClient() {
        HttpBackend.Seen seen = throughHaproxy(haproxy.sendProxy(), "/send-proxy");

        assertThat(seen.header("X-Authority")).isEmpty();
        assertThat(seen.header("X-Unique-ID")).isEmpty();
    }

    @Test
    void sendProxyV2GivesTheAppTheClient() {
        HttpBackend.Seen seen = throughHaproxy(haproxy.sendProxyV2(), "/send-proxy-v2");

        assertThat(seen.header("X-Unique-ID")).isEmpty();
    }

    @Test
    void sendProxyV2WithCrc32cAndUniqueIdIsVerifiedAndTheUniqueIdReachesTheApp() {
        RawClient.Exchange exchange = RawClient.exchange(haproxy.sendProxyV2Options(), Requests.get("/v2-options", ""));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        HttpBackend.Seen seen = app.await("/v2-options", WAIT);
        assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
        // unique-id-format %ci:%cp; HAProxy sends no AUTHORITY on plain TCP (no SNI to take it from).
        assertThat(seen.header("X-Unique-ID")).contains(Loopback.hostPort(exchange.client()));
        assertThat(seen.header("X-Authority")).isEmpty();
    }

    @Test
    void haproxyTerminatingTlsSendsAuthorityAndSslTlvsThatReachTheApp() {
        Path curl = Interop.requireBinary("curl");
        Commands.Result result = Commands.runForResult(List.of(curl.toString(), "-sS", "--max-time", "10",
                "--cacert", haproxy.serverCertificate().certificate().toString(),
                "--cert", haproxy.clientCertificate().certificate().toString(),
                "--key", haproxy.clientCertificate().key().toString(),
                "--interface", "127.0.0.7", "--resolve", "interop.test:" + haproxy.tls().getPort() + ":127.0.0.3",
                "https://interop.test:" + haproxy.tls().getPort() + "/through-tls"), Duration.ofSeconds(15));

        assertThat(result.output()).isEqualTo("ok /through-tls\n");
        HttpBackend.Seen seen = app.await("/through-tls", WAIT);
        assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
        assertThat(seen.header("X-Authority")).contains("interop.test");
        assertThat(seen.header("X-SSL-CN")).contains("interop-client");
        assertThat(seen.header("X-SSL-Version").orElseThrow()).matches("TLSv1\\.[23]");
    }

    @Test
    void aHeaderWithACorruptedCrc32cIsRefusedAndTheIntactOnePasses() {
        byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.proxy(ProtocolVersion.V2,
                TransportProtocol.STREAM, Loopback.parseIpPort("203.0.113.7:51234"), ingressPp,
                List.of(Tlv.Authority.of("interop.test"), Tlv.Crc32c.PLACEHOLDER)));
        byte[] control = header.clone();
        header[header.length - 1] ^= 0x01; // the CRC32C TLV comes last: flip a bit of its value

        try (LogCapture refusals = LogCapture.of("dev.proxyline")) {
            RawClient.Exchange refused = RawClient.exchange(ingressPp,
                    RawClient.concat(header, Requests.get("/crc-corrupted", "")));

            assertThat(refused.answer()).isEmpty();
            assertThat(refused.ending()).isNotEqualTo(RawClient.Ending.STILL_OPEN);
            assertThat(refusals.awaitLine(line -> line.contains("from " + Loopback.hostPort(refused.client())), WAIT))
                    .contains("crc32c");
        }
        RawClient.Exchange accepted = RawClient.exchange(ingressPp,
                RawClient.concat(control, Requests.get("/crc-intact", "")));

        assertThat(accepted.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        HttpBackend.Seen seen = app.await("/crc-intact", WAIT);
        assertThat(seen.header("X-Real-IP")).contains("203.0.113.7");
        assertThat(seen.header("X-Authority")).contains("interop.test");
        assertThat(app.all("/crc-corrupted")).isEmpty();
    }

    @Test
    void haproxySendingAHeaderToAListenWithoutProxyProtocolGets400AndIsDiagnosed() {
        try (LogCapture diagnosis = LogCapture.of("dev.proxyline")) {
            RawClient.Exchange exchange = RawClient.exchange(haproxy.headerToPlain(), Requests.get("/misconfigured", ""));

            assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(exchange.ending()).isNotEqualTo(RawClient.Ending.STILL_OPEN);
            assertThat(diagnosis.awaitLine(line -> line.contains("received a PROXY protocol header on a listener"
                    + " without proxy_protocol"), WAIT))
                    .contains("listener " + Loopback.hostPort(ingressPlain) + ", peer 127.0.0.3:")
                    .contains("add `proxy_protocol` to `listen`");
            assertThat(app.all("/misconfigured")).isEmpty();
        }
    }

    @Test
    void haproxySendingNoHeaderToAProxyProtocolListenIsClosedAndDiagnosed() {
        try (LogCapture diagnosis = LogCapture.of("dev.proxyline")) {
            RawClient.Exchange exchange = RawClient.exchange(haproxy.noHeader(), Requests.get("/no-header", ""));

            assertThat(exchange.answer()).isEmpty();
            assertThat(exchange.ending()).isNotEqualTo(RawClient.Ending.STILL_OPEN);
            assertThat(diagnosis.awaitLine(line -> line.contains("is the balancer sending it?"), WAIT))
                    .contains("expected a PROXY protocol header from 127.0.0.3:")
                    .contains("but got an HTTP request");
            assertThat(app.all("/no-header")).isEmpty();
        }
    }

    /** A request from the client through HAProxy; the app must see the client, and the ingress log it. */
    private static HttpBackend.Seen throughHaproxy(InetSocketAddress haproxyListen, String path) {
        RawClient.Exchange exchange = RawClient.exchange(haproxyListen,
                Requests.get(path, "X-Forwarded-For: 198.51.100.1\r\n"));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("ok " + path + "\n");
        HttpBackend.Seen seen = app.await(path, WAIT);
        assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
        assertThat(seen.lastForwardedFor()).contains("127.0.0.7");
        String client = Loopback.hostPort(exchange.client());
        assertThat(proxyline.awaitLine("ingress.log", line -> line.contains(path + " "), WAIT))
                .isEqualTo(client + " peer=127.0.0.3 \"GET " + path + " HTTP/1.1\" 200");
        return seen;
    }
}
