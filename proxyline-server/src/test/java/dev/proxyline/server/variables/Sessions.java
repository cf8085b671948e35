package dev.proxyline.server.variables;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.TransportProtocol;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.ProxiedConnection;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Sessions and tables for tests. */
public final class Sessions {
    public static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.5", 40000);
    public static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.30", 443);
    public static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 51234);
    public static final InetSocketAddress CLIENT_DESTINATION = new InetSocketAddress("198.51.100.1", 8443);
    /** 2026-11-26T01:02:03.456Z */
    public static final long NOW = 1_795_654_923_456L;

    private Sessions() {
    }

    public static VariableTable table() {
        return VariableTable.stream(ZoneOffset.UTC, "Edge-1.Example", 4242);
    }

    public static ProxyHeader header(Tlv... tlvs) {
        return ProxyHeader.proxy(ProtocolVersion.V2, TransportProtocol.STREAM, CLIENT, CLIENT_DESTINATION, List.of(tlvs));
    }

    public static ProxiedConnection proxied(HeaderPolicy policy, ProxyHeader header) {
        return ProxiedConnection.of(BALANCER, LOCAL, policy, Optional.of(header));
    }

    /** A session from the balancer whose header was believed (REQUIRE) or not (IGNORE). */
    public static SessionSnapshot.Builder through(HeaderPolicy policy, Tlv... tlvs) {
        return SessionSnapshot.builder(7, BALANCER, LOCAL).proxied(proxied(policy, header(tlvs)))
                .startMillis(NOW - 1234);
    }

    public static SessionSnapshot.Builder direct() {
        return SessionSnapshot.builder(7, BALANCER, LOCAL).startMillis(NOW - 1234);
    }

    public static String render(String template, SessionSnapshot session) {
        return Template.compile(template, table()).render(session);
    }
}
