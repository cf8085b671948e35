package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.Tlv;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendSettingsTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(ip("203.0.113.7"), 51234);
    private static final InetSocketAddress SERVICE = new InetSocketAddress(ip("10.0.0.30"), 443);

    @Test
    void ipEndpointsGiveAProxyHeaderWithTheChecksumFirst() {
        ProxyHeader header = new SendSettings(ProtocolVersion.V2, List.of(Tlv.Authority.of("a.example")), true)
                .headerFor(CLIENT, SERVICE);
        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.sourceAddress()).contains(CLIENT);
        assertThat(header.tlvs()).hasSize(2).first().isInstanceOf(Tlv.Crc32c.class);
    }

    @Test
    void mixedFamiliesAreSentAsIpv6() {
        ProxyHeader header = SendSettings.of(ProtocolVersion.V1)
                .headerFor(CLIENT, new InetSocketAddress(ip("2001:db8::1"), 443));
        assertThat(header.family()).isEqualTo(AddressFamily.INET6);
    }

    @Test
    void aNonIpClientIsAnnouncedAsUnknown() {
        SocketAddress unix = new SocketAddress() {
            private static final long serialVersionUID = 1L;
        };
        ProxyHeader header = SendSettings.of(ProtocolVersion.V2).headerFor(unix, SERVICE);
        assertThat(header.useConnectionAddresses()).isTrue();
        assertThat(header.command()).isEqualTo(Command.PROXY);
    }

    @Test
    void v1CarriesNoTlvsNorChecksum() {
        assertThatThrownBy(() -> new SendSettings(ProtocolVersion.V1, List.of(), true)).hasMessageContaining("v2");
        assertThatThrownBy(() -> new SendSettings(ProtocolVersion.V1, List.of(Tlv.Authority.of("a")), false))
                .hasMessageContaining("v2");
    }
}
