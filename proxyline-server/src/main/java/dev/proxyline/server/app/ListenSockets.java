package dev.proxyline.server.app;

import dev.proxyline.config.Events;
import dev.proxyline.config.Listen;
import dev.proxyline.server.transport.AcceptedChannelSetup;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.transport.ListenerOptions;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.OptionalInt;

/** The socket settings of a {@code listen}, for stream and http listeners alike, and binding it on channels. */
final class ListenSockets {
    private ListenSockets() {}

    static ListenerOptions options(InetSocketAddress address, Listen listen, Events events) {
        return new ListenerOptions(address, listen.backlog(), listen.reusePort(), listen.soKeepalive().orElse(false),
                listen.ipv6Only(), acceptsPerWakeup(events), OptionalInt.empty());
    }

    /**
     * Binds a listen served on Netty channels, an IP one with its {@link #options} or a {@code unix:} one on its
     * socket file (which must not exist yet, as in nginx), and waits for the bind.
     *
     * @throws IOException with the reason the kernel gave, when the bind failed
     */
    static BoundListener bindOnChannels(ListenerBootstrap bootstrap, SocketAddress address, Listen listen,
                                        Events events, AcceptedChannelSetup setup) throws IOException {
        if (address instanceof UnixDomainSocketAddress file && Files.exists(file.getPath(), LinkOption.NOFOLLOW_LINKS)) {
            // Netty's epoll bind unlinks the path first; nginx's does not, and neither does proxyline: a file there
            // may be the socket of a live server. The kernel's words for it, as nginx logs them.
            throw new IOException("98: Address already in use");
        }
        ChannelFuture future = address instanceof UnixDomainSocketAddress file
                ? bootstrap.bindDomain(file, listen.backlog(), acceptsPerWakeup(events), setup)
                : bootstrap.bind(options((InetSocketAddress) address, listen, events), setup);
        future.awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IOException(future.cause().getMessage(), future.cause());
        }
        return address instanceof UnixDomainSocketAddress file
                ? new BoundListener.OnSocketFile(future.channel(), file)
                : new BoundListener.OnChannel(future.channel());
    }

    private static int acceptsPerWakeup(Events events) {
        return events.multiAccept()
                .map(all -> all ? Integer.MAX_VALUE : 1)
                .orElse(ListenerOptions.DEFAULT_ACCEPTS_PER_WAKEUP);
    }
}
