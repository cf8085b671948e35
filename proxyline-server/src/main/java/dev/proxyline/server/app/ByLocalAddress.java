package dev.proxyline.server.app;

import dev.proxyline.server.stream.raw.RawStreamListener;
import dev.proxyline.server.transport.AcceptedChannelSetup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * The listens served by one wildcard socket ({@link dev.proxyline.config.SharedSockets}): a connection is
 * handled as the listen of the address it reached says, or as the wildcard's when no listen names it, which
 * is how nginx picks the server of a connection on a shared port.
 *
 * @param wildcard how the wildcard listen handles its connections
 * @param specific how each specific listen handles its connections, by its address
 */
record ByLocalAddress<T>(T wildcard, Map<InetAddress, T> specific) {
    ByLocalAddress {
        Objects.requireNonNull(wildcard, "wildcard");
        specific = Map.copyOf(specific);
    }

    T serving(InetSocketAddress local) {
        return specific.getOrDefault(local.getAddress(), wildcard);
    }

    static AcceptedChannelSetup channels(ByLocalAddress<AcceptedChannelSetup> listens) {
        return accepted -> listens.serving((InetSocketAddress) accepted.localAddress()).setUp(accepted);
    }

    static RawStreamListener.Accepted raw(ByLocalAddress<RawStreamListener.Accepted> listens) {
        return (loop, socket, remote, local, slots) ->
                listens.serving(local).accepted(loop, socket, remote, local, slots);
    }
}
