package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.ProxyHeader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the PROXY stage learned about a connection, set once on the channel as
 * {@link ProxyAttributes#CONNECTION} and fired down the pipeline as a user event when the stage
 * completes.
 *
 * @param peer        the socket's remote address (the balancer, for a proxied connection)
 * @param local       the socket's local address
 * @param header      the header received, if any (none for an OPTIONAL source that sent none)
 * @param policy      the policy the source was under
 * @param client      the effective client: the header's source when the policy trusts it and the
 *                    header carries an IP address, otherwise {@code peer}
 * @param destination the effective destination, chosen the same way from the header or {@code local}
 */
public record ProxiedConnection(
        SocketAddress peer,
        SocketAddress local,
        Optional<ProxyHeader> header,
        HeaderPolicy policy,
        SocketAddress client,
        SocketAddress destination) {

    public ProxiedConnection {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
    }

    /**
     * The record for a connection under {@code policy}: a header counts only under
     * {@link HeaderPolicy#REQUIRE} or {@link HeaderPolicy#OPTIONAL}, and then only when it carries IP
     * endpoints to use (not for LOCAL, v1 UNKNOWN, v2 UNSPEC, nor AF_UNIX, whose paths stay
     * available in the header).
     */
    public static ProxiedConnection of(SocketAddress peer, SocketAddress local, HeaderPolicy policy,
                                       Optional<ProxyHeader> header) {
        boolean believed = policy == HeaderPolicy.REQUIRE || policy == HeaderPolicy.OPTIONAL;
        Optional<ProxyHeader> usable = header.filter(h -> believed && !h.useConnectionAddresses());
        SocketAddress client = usable.flatMap(ProxyHeader::sourceAddress).<SocketAddress>map(a -> a).orElse(peer);
        SocketAddress destination = usable.flatMap(ProxyHeader::destinationAddress).<SocketAddress>map(a -> a).orElse(local);
        return new ProxiedConnection(peer, local, header, policy, client, destination);
    }

    /** The effective client as an IP address and port, when it is one (not for AF_UNIX sockets). */
    public Optional<InetSocketAddress> clientInet() {
        return client instanceof InetSocketAddress inet ? Optional.of(inet) : Optional.empty();
    }
}
