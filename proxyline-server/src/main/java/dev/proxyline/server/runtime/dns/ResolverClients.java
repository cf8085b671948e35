package dev.proxyline.server.runtime.dns;

import dev.proxyline.config.Endpoint;
import dev.proxyline.config.Resolver;
import dev.proxyline.server.runtime.HostResolver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The DNS clients of one configuration, one per distinct {@code resolver} setting however many blocks share it. A
 * server given by name is resolved here, at start, with the system's resolver, and each of its addresses becomes a
 * server, as nginx resolves it when it reads its configuration.
 */
public final class ResolverClients {
    private final HostResolver names;
    private final LongSupplier nanoClock;
    private final Map<Resolver, Optional<DnsLookups>> clients = new HashMap<>();

    public ResolverClients(HostResolver names, LongSupplier nanoClock) {
        this.names = Objects.requireNonNull(names, "names");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * The client of {@code settings}; empty, with the problem added once (nginx's words, where the line is), when a
     * server's name has no address.
     */
    public Optional<DnsLookups> client(Resolver settings, List<String> problems) {
        return clients.computeIfAbsent(settings, s -> build(s, problems));
    }

    private Optional<DnsLookups> build(Resolver settings, List<String> problems) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (Endpoint server : settings.servers()) {
            if (server instanceof Endpoint.Inet inet) {
                servers.add(inet.socketAddress());
            } else if (server instanceof Endpoint.Host host) {
                List<InetSocketAddress> found = names.socketAddresses(host.host(), host.port());
                if (found.isEmpty()) {
                    problems.add(settings.position() + ": host not found in resolver \"" + host.host() + "\"");
                    return Optional.empty();
                }
                servers.addAll(found);
            }
        }
        return Optional.of(new DnsLookups(settings, servers, nanoClock));
    }
}
