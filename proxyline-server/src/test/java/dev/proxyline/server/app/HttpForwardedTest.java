package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.TransportProtocol;
import dev.proxyline.protocol.Tlv;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_forwarded on} (RFC 7239 {@code Forwarded}) and PROXY TLVs in {@code proxy_set_header}, end to end on
 * loopback: a client at 127.0.0.7, the ingress, a backend that records what it got.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpForwardedTest {
    @TempDir
    Path dir;

    @Test
    void behindATrustedBalancerTheBackendGetsTheClientInForwardedAndAnUntrustedClientsElementIsStripped()
            throws Exception {
        try (HttpBackend backend = HttpBackend.start()) {
            int ingress = Rig.freePort();
            try (HttpRig rig = HttpRig.start(dir, balancer -> """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_protocol on;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    http {
                        proxy_forwarded on;
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from 127.0.0.1;
                            real_ip_header proxy_protocol;
                            location / { proxy_pass http://127.0.0.1:%d; }
                        }
                    }
                    """.formatted(balancer, ingress, ingress, backend.port()));
                 HttpExchangeClient c = rig.client()) {
                // The client at 127.0.0.7 is not in set_real_ip_from: what it claims is not passed on.
                c.send("GET / HTTP/1.1\r\nHost: app.test\r\nForwarded: for=198.51.100.1;proto=https\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(200);

                HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
                assertThat(seen.header("Forwarded")).isEqualTo("for=127.0.0.7;proto=http;host=app.test");
            }
        }
    }

    @Test
    void aTrustedHopsElementsAreKeptAndThisHopsAppendedWhileOffPassesThemOnUnchanged() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        set_real_ip_from 127.0.0.0/8;
                        proxy_forwarded on;
                        location / { proxy_pass http://127.0.0.1:%d; }
                        location /off { proxy_forwarded off; proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port(), backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a.test:8080\r\nForwarded: for=192.0.2.43\r\n"
                    + "Forwarded: for=\"[2001:db8:cafe::17]:4711\"\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            HttpBackend.Seen on = backend.requests.poll(5, TimeUnit.SECONDS);
            // The host carries a port, so it is quoted (':' is not a token character).
            assertThat(on.header("Forwarded")).isEqualTo(
                    "for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\", for=127.0.0.7;proto=http;host=\"a.test:8080\"");

            c.send("GET /off HTTP/1.1\r\nHost: a.test\r\nForwarded: for=192.0.2.43\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            HttpBackend.Seen off = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(off.header("Forwarded")).isEqualTo("for=192.0.2.43");
        }
    }

    @Test
    void anIpv6ClientIsQuotedAndBracketedAndPrivateLinkTlvsReachTheBackendAsHeaders() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d proxy_protocol;
                        set_real_ip_from 127.0.0.0/8;
                        real_ip_header proxy_protocol;
                        proxy_forwarded on;
                        proxy_set_header X-Vpce $proxy_protocol_tlv_aws_vpce_id;
                        proxy_set_header X-Connection-Id $proxy_protocol_tlv_unique_id;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            // What an AWS NLB sends in front of a PrivateLink endpoint service, plus a balancer's UNIQUE_ID.
            byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.proxy(ProtocolVersion.V2, TransportProtocol.STREAM,
                    new InetSocketAddress("2001:db8::17", 41000), new InetSocketAddress("127.0.0.1", rig.front),
                    List.<Tlv>of(Tlv.AwsVpcEndpointId.of("vpce-08d2bf15fac5001c9"),
                            new Tlv.UniqueId(Bytes.of("conn-4f2a", StandardCharsets.US_ASCII)))));
            c.socket.getOutputStream().write(header);
            c.send("GET / HTTP/1.1\r\nHost: svc.test\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);

            HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(seen.header("X-Real-IP")).isEqualTo("2001:db8::17");
            assertThat(seen.header("Forwarded")).isEqualTo("for=\"[2001:db8::17]\";proto=http;host=svc.test");
            assertThat(seen.header("X-Vpce")).isEqualTo("vpce-08d2bf15fac5001c9");
            assertThat(seen.header("X-Connection-Id")).isEqualTo("conn-4f2a");
        }
    }
}
