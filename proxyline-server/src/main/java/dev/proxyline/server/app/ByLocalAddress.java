package dev.proxyline.server.app;

import dev.proxyline.config.SharedSockets;
import dev.proxyline.server.stream.raw.RawStreamListener;
import dev.proxyline.server.transport.AcceptedChannelSetup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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

    /**
     * What handles the connections of {@code socket}: its owner's {@code handler}, or, when the socket serves
     * specific addresses too, {@code dispatch} over every listen's handler by the address it is bound to.
     */
    static <P, T> T forSocket(SharedSockets.Socket<P> socket, Function<P, T> handler,
                              Function<P, SocketAddress> address, Function<ByLocalAddress<T>, T> dispatch) {
        T own = handler.apply(socket.owner());
        if (socket.folded().isEmpty()) {
            return own;
        }
        Map<InetAddress, T> specific = new HashMap<>();
        for (P folded : socket.folded()) {
            // Only a specific IP address is ever folded into a wildcard's socket (SharedSockets).
            specific.put(((InetSocketAddress) address.apply(folded)).getAddress(), handler.apply(folded));
        }
        return dispatch.apply(new ByLocalAddress<>(own, specific));
    }

    /** The start-up line's words for {@code socket}: its owner's label, then each address served through it. */
    static <P> String label(SharedSockets.Socket<P> socket, Function<P, String> label,
                            Function<P, SocketAddress> address) {
        StringBuilder text = new StringBuilder(label.apply(socket.owner()));
        for (P folded : socket.folded()) {
            text.append(", ").append(Addresses.format(address.apply(folded))).append(label.apply(folded))
                    .append(" on it");
        }
        return text.toString();
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
