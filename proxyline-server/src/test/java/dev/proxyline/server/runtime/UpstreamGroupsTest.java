package dev.proxyline.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.Balancing;
import dev.proxyline.config.Endpoint;
import dev.proxyline.config.Position;
import dev.proxyline.config.Upstream;
import dev.proxyline.config.UpstreamKeepalive;
import dev.proxyline.config.UpstreamServer;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.server.upstream.BalancingMethod;
import dev.proxyline.server.upstream.Peer;
import dev.proxyline.server.upstream.PeerSpec;
import dev.proxyline.server.upstream.UpstreamGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UpstreamGroupsTest {
    private final List<String> lookedUp = new ArrayList<>();
    private final HostResolver resolver = host -> {
        lookedUp.add(host);
        List<String> found = Map.of("app.internal", List.of("10.1.0.1", "10.1.0.2", "10.1.0.1")).get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found.stream().map(a -> InetLiterals.parseOrThrow(a, "test")).toList();
    };

    private static UpstreamServer server(Endpoint endpoint) {
        return new UpstreamServer(endpoint, 3, 2, Duration.ofSeconds(30), false, false);
    }

    @Test
    void literalServerIsOnePeerWithItsParameters() {
        Endpoint endpoint = new Endpoint.Inet(InetLiterals.parseOrThrow("10.0.0.1", "t"), 8080);
        List<PeerSpec> peers = UpstreamGroups.peers(server(endpoint), resolver);
        assertThat(peers).containsExactly(new PeerSpec("10.0.0.1:8080", new InetSocketAddress("10.0.0.1", 8080), 3, 2,
                Duration.ofSeconds(30), false, false));
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void nameIsResolvedOnceAndEveryDistinctAddressBecomesAPeerWithTheServerText() {
        List<PeerSpec> peers = UpstreamGroups.peers(server(new Endpoint.Host("app.internal", 80)), resolver);
        assertThat(peers).extracting(PeerSpec::address)
                .containsExactly(new InetSocketAddress("10.1.0.1", 80), new InetSocketAddress("10.1.0.2", 80));
        assertThat(peers).extracting(PeerSpec::server).containsOnly("app.internal:80");
        assertThat(peers).extracting(PeerSpec::weight).containsOnly(3);
        assertThat(lookedUp).containsExactly("app.internal");
    }

    @Test
    void unknownNameIsReportedWithTheUpstream() {
        Upstream upstream = new Upstream("backend", new Position("p.conf", 3, 5),
                List.of(server(new Endpoint.Host("nowhere.invalid", 80))), new Balancing.RoundRobin(), UpstreamKeepalive.NONE);
        assertThatThrownBy(() -> UpstreamGroups.group(upstream, resolver, System::nanoTime, new SplittableRandom(1)))
                .isInstanceOf(RuntimePlanException.class)
                .hasMessageContaining("p.conf:3:5").hasMessageContaining("nowhere.invalid:80");
    }

    @Test
    void aUnixServerIsOnePeerAtItsPathWithItsParameters() {
        List<PeerSpec> peers = UpstreamGroups.peers(server(new Endpoint.Unix("/run/app.sock")), resolver);
        assertThat(peers).containsExactly(new PeerSpec("unix:/run/app.sock",
                java.net.UnixDomainSocketAddress.of("/run/app.sock"), 3, 2, Duration.ofSeconds(30), false, false));
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void balancingMapsToTheSameMethod() {
        assertThat(UpstreamGroups.method(new Balancing.RoundRobin())).isEqualTo(new BalancingMethod.RoundRobin());
        assertThat(UpstreamGroups.method(new Balancing.LeastConn())).isEqualTo(new BalancingMethod.LeastConn());
        assertThat(UpstreamGroups.method(new Balancing.Hash("$remote_addr", true))).isEqualTo(new BalancingMethod.Hash(true));
        assertThat(UpstreamGroups.method(new Balancing.Random(true))).isEqualTo(new BalancingMethod.Random(true));
    }

    @Test
    void groupKeepsConfigurationOrderAndName() {
        Upstream upstream = new Upstream("backend", new Position("p.conf", 1, 1), List.of(
                server(new Endpoint.Inet(InetLiterals.parseOrThrow("10.0.0.9", "t"), 80)),
                server(new Endpoint.Host("app.internal", 81))), new Balancing.LeastConn(), UpstreamKeepalive.NONE);
        UpstreamGroup group = UpstreamGroups.group(upstream, resolver, System::nanoTime, new SplittableRandom(1));
        assertThat(group.name()).isEqualTo("backend");
        assertThat(group.peers()).extracting(Peer::name).containsExactly("10.0.0.9:80", "10.1.0.1:81", "10.1.0.2:81");
    }

    @Test
    void directProxyPassIsAnImplicitGroupNamedAfterTheAddress() {
        UpstreamGroup group = UpstreamGroups.direct(new Endpoint.Host("app.internal", 443), resolver, System::nanoTime,
                new SplittableRandom(1));
        assertThat(group.name()).isEqualTo("app.internal:443");
        assertThat(group.peers()).hasSize(2);
    }

    @Test
    void systemResolverTakesLiteralsWithoutLookup() throws UnknownHostException {
        assertThat(HostResolver.system().resolve("127.0.0.1")).containsExactly(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    }
}
