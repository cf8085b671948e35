package dev.proxyline.server.app;

import dev.proxyline.config.Events;
import dev.proxyline.config.Listen;
import dev.proxyline.server.transport.ListenerOptions;
import java.net.InetSocketAddress;
import java.util.OptionalInt;

/** The socket settings of a {@code listen}, for stream and http listeners alike. */
final class ListenSockets {
    private ListenSockets() {}

    static ListenerOptions options(InetSocketAddress address, Listen listen, Events events) {
        int acceptsPerWakeup = events.multiAccept()
                .map(all -> all ? Integer.MAX_VALUE : 1)
                .orElse(ListenerOptions.DEFAULT_ACCEPTS_PER_WAKEUP);
        return new ListenerOptions(address, listen.backlog(), listen.reusePort(), listen.soKeepalive().orElse(false),
                listen.ipv6Only(), acceptsPerWakeup, OptionalInt.empty());
    }
}
