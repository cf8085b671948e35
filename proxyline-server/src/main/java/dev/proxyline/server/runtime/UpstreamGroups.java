package dev.proxyline.server.runtime;

import dev.proxyline.config.Balancing;
import dev.proxyline.config.Endpoint;
import dev.proxyline.config.Upstream;
import dev.proxyline.config.UpstreamServer;
import dev.proxyline.server.upstream.BalancingMethod;
import dev.proxyline.server.upstream.PeerSpec;
import dev.proxyline.server.upstream.UpstreamGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Configuration {@link Upstream} blocks to run-time {@link UpstreamGroup}s.
 *
 * <p><b>Host names.</b> As nginx does when it reads its configuration, a server given by name is
 * resolved once, here, at startup, and every address it has becomes a peer with the server's
 * parameters; all of them keep the server text ({@code app.internal:8080}), so {@code hash ...
 * consistent} treats them as one server, as nginx does. The group does not follow later DNS
 * changes (nginx needs {@code resolve} and a zone for that, which proxyline does not have). Only
 * names from the configuration are ever resolved.
 */
public final class UpstreamGroups {
    private UpstreamGroups() {
    }

    /**
     * The peers of one {@code server} line: one for an address or a UNIX-domain socket, one per address of a name.
     *
     * @throws IllegalArgumentException for a name without addresses, naming the server
     */
    public static List<PeerSpec> peers(UpstreamServer server, HostResolver resolver) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(resolver, "resolver");
        Endpoint endpoint = server.endpoint();
        List<SocketAddress> addresses = new ArrayList<>();
        if (endpoint instanceof Endpoint.Inet inet) {
            addresses.add(inet.socketAddress());
        } else if (endpoint instanceof Endpoint.Host host) {
            List<InetSocketAddress> resolved = resolver.socketAddresses(host.host(), host.port());
            if (resolved.isEmpty()) {
                throw new IllegalArgumentException("host not found in upstream \"" + host + "\"");
            }
            addresses.addAll(resolved);
        } else {
            addresses.add(UnixDomainSocketAddress.of(((Endpoint.Unix) endpoint).path()));
        }
        List<PeerSpec> peers = new ArrayList<>(addresses.size());
        for (SocketAddress address : addresses) {
            peers.add(new PeerSpec(endpoint.toString(), address, server.weight(), server.maxFails(),
                    server.failTimeout(), server.backup(), server.down()));
        }
        return peers;
    }

    /** The balancing method of a configuration {@link Balancing}; the hash key is compiled separately. */
    public static BalancingMethod method(Balancing balancing) {
        Objects.requireNonNull(balancing, "balancing");
        if (balancing instanceof Balancing.RoundRobin) {
            return new BalancingMethod.RoundRobin();
        } else if (balancing instanceof Balancing.LeastConn) {
            return new BalancingMethod.LeastConn();
        } else if (balancing instanceof Balancing.Hash hash) {
            return new BalancingMethod.Hash(hash.consistent());
        } else if (balancing instanceof Balancing.Random random) {
            return new BalancingMethod.Random(random.two());
        }
        throw new IllegalArgumentException("unknown balancing " + balancing);
    }

    /**
     * The group of an {@code upstream} block, every name resolved now.
     *
     * @throws RuntimePlanException listing every server that cannot be used and every problem the
     *                              group itself has
     */
    public static UpstreamGroup group(Upstream upstream, HostResolver resolver, LongSupplier nanoClock,
                                      RandomGenerator random) {
        Objects.requireNonNull(upstream, "upstream");
        List<String> problems = new ArrayList<>();
        List<PeerSpec> specs = new ArrayList<>();
        for (UpstreamServer server : upstream.servers()) {
            try {
                specs.addAll(peers(server, resolver));
            } catch (IllegalArgumentException e) {
                problems.add(upstream.position() + ": upstream \"" + upstream.name() + "\": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new RuntimePlanException(problems);
        }
        try {
            return UpstreamGroup.create(upstream.name(), specs, method(upstream.balancing()), nanoClock, random);
        } catch (IllegalArgumentException e) {
            throw new RuntimePlanException(List.of(upstream.position() + ": " + e.getMessage()));
        }
    }

    /**
     * The group of one session or request whose {@code proxy_pass} with variables names {@code host}, a name the
     * {@code resolver} found {@code addresses} for: nginx's one-request group of the answer, tried round-robin from a
     * random address on (nginx's resolver rotates its answers), each with nginx's default {@code max_fails} and
     * {@code fail_timeout}.
     */
    public static UpstreamGroup lookedUp(String host, int port, List<InetAddress> addresses, LongSupplier nanoClock) {
        int n = addresses.size();
        int first = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
        List<PeerSpec> peers = new ArrayList<>(n);
        String server = host + ":" + port;
        for (int i = 0; i < n; i++) {
            peers.add(new PeerSpec(server, new InetSocketAddress(addresses.get((first + i) % n), port),
                    PeerSpec.DEFAULT_WEIGHT, PeerSpec.DEFAULT_MAX_FAILS, PeerSpec.DEFAULT_FAIL_TIMEOUT, false, false));
        }
        return UpstreamGroup.create(host, peers, new BalancingMethod.RoundRobin(), nanoClock, ThreadLocalRandom.current());
    }

    /**
     * The implicit group of {@code proxy_pass ADDRESS}: nginx makes a one-server upstream named after
     * the address, whose peers are the addresses of a name.
     */
    public static UpstreamGroup direct(Endpoint endpoint, HostResolver resolver, LongSupplier nanoClock,
                                       RandomGenerator random) {
        UpstreamServer server = new UpstreamServer(endpoint, UpstreamServer.DEFAULT_WEIGHT,
                UpstreamServer.DEFAULT_MAX_FAILS, UpstreamServer.DEFAULT_FAIL_TIMEOUT, false, false);
        return UpstreamGroup.create(endpoint.toString(), peers(server, resolver), new BalancingMethod.RoundRobin(),
                nanoClock, random);
    }
}
