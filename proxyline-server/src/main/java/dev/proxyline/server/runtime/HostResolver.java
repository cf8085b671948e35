package dev.proxyline.server.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Turns a host name from the configuration into addresses. Used once, at startup, for the names in
 * {@code upstream} servers and {@code proxy_pass}; never for anything read from the network.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address of {@code host}, in the resolver's order.
     *
     * @throws UnknownHostException if the name has no address
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /**
     * {@code host}'s addresses with {@code port}, each once, in the resolver's order (an address listed twice would be
     * one server counted twice); empty when the name has none.
     */
    default List<InetSocketAddress> socketAddresses(String host, int port) {
        List<InetAddress> found;
        try {
            found = resolve(host);
        } catch (UnknownHostException e) {
            return List.of();
        }
        return new LinkedHashSet<>(found).stream().map(address -> new InetSocketAddress(address, port)).toList();
    }

    /**
     * The system resolver ({@link InetAddress#getAllByName}), as nginx resolves upstream names with
     * {@code getaddrinfo} when it reads its configuration. It blocks: call it at startup only, never
     * on an event loop.
     */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
