package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.BALANCER;
import static dev.proxyline.protocol.netty.testing.PeerChannel.LISTENER;
import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Endpoints;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which addresses count, by policy and header kind: plain Java, no network. */
class ProxiedConnectionTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(ip("203.0.113.7"), 51234);
    private static final InetSocketAddress SERVICE = new InetSocketAddress(ip("10.0.0.30"), 443);
    private static final ProxyHeader TCP = ProxyHeader.tcp(ProtocolVersion.V2, CLIENT, SERVICE);

    private static ProxiedConnection of(HeaderPolicy policy, ProxyHeader header) {
        return ProxiedConnection.of(BALANCER, LISTENER, policy, Optional.ofNullable(header));
    }

    @Test
    void aBelievedHeaderGivesTheClientAndDestination() {
        for (HeaderPolicy policy : new HeaderPolicy[] {HeaderPolicy.REQUIRE, HeaderPolicy.OPTIONAL}) {
            ProxiedConnection connection = of(policy, TCP);
            assertThat(connection.client()).isEqualTo(CLIENT);
            assertThat(connection.destination()).isEqualTo(SERVICE);
            assertThat(connection.clientInet()).contains(CLIENT);
        }
    }

    @Test
    void anIgnoredHeaderIsKeptButTheSocketAddressesCount() {
        ProxiedConnection connection = of(HeaderPolicy.IGNORE, TCP);
        assertThat(connection.header()).contains(TCP);
        assertThat(connection.client()).isEqualTo(BALANCER);
        assertThat(connection.destination()).isEqualTo(LISTENER);
    }

    @Test
    void localUnknownAndUnixHeadersKeepTheSocketAddresses() {
        ProxyHeader unix = ProxyHeader.unix(ProtocolVersion.V2, TransportProtocol.STREAM,
                new Endpoints.Unix(Bytes.of("/a".getBytes()), Bytes.of("/b".getBytes())), List.of());
        for (ProxyHeader header : List.of(ProxyHeader.local(ProtocolVersion.V2, List.of()),
                ProxyHeader.unknown(ProtocolVersion.V1, List.of()), ProxyHeader.unknown(ProtocolVersion.V2, List.of()), unix)) {
            ProxiedConnection connection = of(HeaderPolicy.REQUIRE, header);
            assertThat(connection.client()).as(header.toString()).isEqualTo(BALANCER);
            assertThat(connection.destination()).isEqualTo(LISTENER);
        }
    }

    @Test
    void noHeaderMeansTheSocketAddresses() {
        ProxiedConnection connection = of(HeaderPolicy.OPTIONAL, null);
        assertThat(connection.header()).isEmpty();
        assertThat(connection.client()).isEqualTo(BALANCER);
    }
}
