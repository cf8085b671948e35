package dev.proxyline.server.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;

/** Sends FIN on a channel that has nothing left to write, and keeps it open for reading. */
public final class HalfClose {

    private HalfClose() {
    }

    /**
     * Shuts the output of {@code channel}, whose writes must all have completed; on its event loop.
     * On the native transports this is {@code shutdown(SHUT_WR)} on the socket itself: Netty's
     * {@code shutdownOutput} builds a {@code ChannelOutputShutdownException}, stack trace included, on
     * every call to fail writes that may still be queued, and a relay that waited for its writes has
     * none, yet half-closes most connections it carries. The socket's own state records the shutdown,
     * so the channel reports {@code isOutputShutdown()} either way.
     */
    public static ChannelFuture shutdownOutput(DuplexChannel channel) {
        if (channel instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
            try {
                socket.shutdown(false, true);
                return channel.newSucceededFuture();
            } catch (IOException e) {
                return channel.newFailedFuture(e);
            }
        }
        return channel.shutdownOutput();
    }
}
