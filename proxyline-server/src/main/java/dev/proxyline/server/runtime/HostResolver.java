package dev.proxyline.server.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
     * The system resolver ({@link InetAddress#getAllByName}), as nginx resolves upstream names with
     * {@code getaddrinfo} when it reads its configuration. It blocks: call it at startup only, never
     * on an event loop.
     */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
