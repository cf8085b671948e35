package dev.proxyline.server.runtime;

import static dev.proxyline.server.variables.Sessions.BALANCER;
import static dev.proxyline.server.variables.Sessions.CLIENT;
import static dev.proxyline.server.variables.Sessions.CLIENT_DESTINATION;
import static dev.proxyline.server.variables.Sessions.LOCAL;
import static dev.proxyline.server.variables.Sessions.NOW;
import static dev.proxyline.server.variables.Sessions.table;
import static dev.proxyline.server.variables.Sessions.through;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.ProxyProtocolSend;
import dev.proxyline.config.Tlv;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Sessions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.server.tls.TestPki;
import dev.proxyline.server.tls.VerifyFailure;
import dev.proxyline.server.variables.ClientCertificate;
import dev.proxyline.server.variables.SessionTls;
import dev.proxyline.server.variables.TlsFacts;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxyHeaderBuilderTest {
    private static ProxyHeaderBuilder builder(int version, boolean crc, Tlv... tlvs) {
        return ProxyHeaderBuilder.of(new ProxyProtocolSend(true, version, List.of(tlvs), crc), table());
    }

    @Test
    void trustedHeaderIsForwardedWithTheOriginalClientNotTheHop() {
        ProxyHeader header = builder(1, false).headerFor(through(HeaderPolicy.REQUIRE).snapshot(NOW));
        assertThat(header.sourceAddress()).contains(CLIENT);
        assertThat(header.destinationAddress()).contains(CLIENT_DESTINATION);
        assertThat(new String(ProxyHeaderEncoder.encode(header), StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP4 203.0.113.7 198.51.100.1 51234 8443\r\n");
    }

    @Test
    void untrustedHeaderIsNotForwardedTheSocketPeerIs() {
        ProxyHeader header = builder(1, false).headerFor(through(HeaderPolicy.IGNORE).snapshot(NOW));
        assertThat(header.sourceAddress()).contains(BALANCER);
        assertThat(header.destinationAddress()).contains(LOCAL);
    }

    @Test
    void withoutReceivedHeaderTheSocketAddressesAreSent() {
        ProxyHeader header = builder(2, false).headerFor(Sessions.direct().snapshot(NOW));
        assertThat(header.version()).isEqualTo(ProtocolVersion.V2);
        assertThat(header.sourceAddress()).contains(BALANCER);
    }

    @Test
    void tlvValuesAreRenderedPerSessionAndChecksumComesFirst() {
        ProxyHeaderBuilder b = builder(2, true, new Tlv(0xE0, "conn-$connection"), new Tlv(Tlv.AUTHORITY, "example.com"));
        ProxyHeader header = b.headerFor(through(HeaderPolicy.REQUIRE).snapshot(NOW));
        assertThat(header.tlvs()).extracting(dev.proxyline.protocol.Tlv::type).containsExactly(0x03, 0xE0, 0x02);
        assertThat(header.tlv(0xE0).orElseThrow().value().asString(StandardCharsets.US_ASCII)).isEqualTo("conn-7");
        assertThat(ProxyHeaderEncoder.encode(header)).isNotEmpty();
    }

    @Test
    void tlvThatRendersEmptyIsLeftOut() {
        ProxyHeaderBuilder b = builder(2, false, new Tlv(Tlv.ALPN, "$proxy_protocol_tlv_alpn"));
        assertThat(b.headerFor(through(HeaderPolicy.REQUIRE).snapshot(NOW)).tlvs()).isEmpty();
        SessionSnapshot withAlpn = through(HeaderPolicy.REQUIRE, dev.proxyline.protocol.Tlv.Alpn.of("h2")).snapshot(NOW);
        assertThat(b.headerFor(withAlpn).tlv(Tlv.ALPN)).map(t -> t.value().asString(StandardCharsets.US_ASCII))
                .isEqualTo(Optional.of("h2"));
    }

    @Test
    void tlvTooLongForItsTypeIsLeftOutRatherThanFailingTheSession() {
        ProxyHeaderBuilder b = builder(2, false, new Tlv(Tlv.UNIQUE_ID, "$proxy_protocol_tlv_authority"));
        SessionSnapshot longAuthority = through(HeaderPolicy.REQUIRE,
                dev.proxyline.protocol.Tlv.Authority.of("a".repeat(200))).snapshot(NOW);
        assertThat(b.headerFor(longAuthority).tlvs()).isEmpty();
    }

    @Test
    void unknownVariableInATlvIsRefusedNamingTheTlv() {
        assertThatThrownBy(() -> builder(2, false, new Tlv(0xE1, "$nope")))
                .hasMessageContaining("0xE1").hasMessageContaining("$nope");
    }

    @Test
    void sendingOffHasNoBuilder() {
        assertThatThrownBy(() -> ProxyHeaderBuilder.of(ProxyProtocolSend.OFF, table())).hasMessageContaining("off");
    }

    @Test
    void aVersion2HeaderOfATerminatedSessionCarriesTheSslTlvAsHaproxySendsIt() {
        SessionTls tls = new SessionTls(new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.of("a.example"),
                Optional.empty()), false);
        ProxyHeader header = builder(2, true, new Tlv(0x02, "lb.example"))
                .headerFor(through(HeaderPolicy.REQUIRE).tls(tls).snapshot(NOW));
        DecodeResult decoded = new ProxyHeaderDecoder().decode(ProxyHeaderEncoder.encode(header));
        ProxyHeader received = ((DecodeResult.Complete) decoded).header();
        dev.proxyline.protocol.Tlv.Ssl ssl = received.tlv(dev.proxyline.protocol.Tlv.Ssl.class).orElseThrow();
        assertThat(ssl.isSsl()).isTrue();
        assertThat(ssl.clientCertificateOnConnection()).isFalse();
        assertThat(ssl.verify()).isEqualTo(1);
        assertThat(ssl.version()).contains("TLSv1.3");
        assertThat(ssl.cipher()).contains("TLS_AES_128_GCM_SHA256");
        assertThat(ssl.commonName()).isEmpty();
        assertThat(received.tlv(dev.proxyline.protocol.Tlv.Authority.class)).isPresent();
        // Version 1 has no TLVs; a plain session gets none of TLS.
        assertThat(ProxyHeaderEncoder.encode(builder(1, false).headerFor(through(HeaderPolicy.REQUIRE).tls(tls)
                .snapshot(NOW)))).asString(StandardCharsets.US_ASCII).startsWith("PROXY TCP4 ");
        assertThat(builder(2, false).headerFor(through(HeaderPolicy.REQUIRE).snapshot(NOW)).tlvs()).isEmpty();
    }

    @Test
    void aVerifiedClientCertificateIsVerifyZeroWithItsCommonName() {
        TestPki.Issued ca = TestPki.selfSigned("CN=ca", true);
        TestPki.Issued client = TestPki.client(ca, "CN=client one,O=Acme", BigInteger.TEN, Duration.ofDays(1));
        SessionTls tls = new SessionTls(new TlsFacts("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256", Optional.empty(),
                Optional.empty(), new ClientCertificate(client.chain(), Optional.empty())), true);
        dev.proxyline.protocol.Tlv.Ssl ssl = (dev.proxyline.protocol.Tlv.Ssl) SslTlv.of(tls);
        assertThat(ssl.client()).isEqualTo(0x07);
        assertThat(ssl.verify()).isZero();
        assertThat(ssl.commonName()).contains("client one");
        SessionTls failed = new SessionTls(new TlsFacts("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256", Optional.empty(),
                Optional.empty(), new ClientCertificate(client.chain(),
                Optional.of(VerifyFailure.DEPTH_ZERO_SELF_SIGNED_CERT))), false);
        assertThat(SslTlv.of(failed).verify()).isEqualTo(18);
    }
}
