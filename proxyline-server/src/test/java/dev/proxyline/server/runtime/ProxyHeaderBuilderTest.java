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
}
