package dev.proxyline.server.app;

import dev.proxyline.server.stream.raw.RawStreamListener;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.Objects;

/**
 * One bound {@code listen}: a Netty server channel on an IP address or a socket file, or a stream listen accepting on
 * raw descriptors.
 */
sealed interface BoundListener {
    /** The bound address (for IP, the port as the kernel assigned it). */
    SocketAddress localAddress();

    /** Stops accepting; returns once it has. */
    void close();

    /** A listen on an IP address served by a Netty server channel. */
    record OnChannel(Channel channel) implements BoundListener {
        public OnChannel {
            Objects.requireNonNull(channel, "channel");
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) channel.localAddress();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly();
        }
    }

    /**
     * A {@code listen unix:PATH} served by a Netty server channel. Closing it removes the socket file, as nginx
     * removes its socket files on a clean stop; the next start would otherwise find the path taken.
     */
    record OnSocketFile(Channel channel, UnixDomainSocketAddress file) implements BoundListener {
        public OnSocketFile {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(file, "file");
        }

        @Override
        public UnixDomainSocketAddress localAddress() {
            return file;
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly();
            try {
                Files.deleteIfExists(file.getPath());
            } catch (IOException e) {
                // The stop goes on: a file left behind makes the next start fail with a clear bind error.
                System.getLogger(BoundListener.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot remove the socket file " + file.getPath() + " (" + e.getMessage() + ")");
            }
        }
    }

    /** A stream listen accepting on raw descriptors. */
    record Raw(RawStreamListener listener) implements BoundListener {
        public Raw {
            Objects.requireNonNull(listener, "listener");
        }

        @Override
        public InetSocketAddress localAddress() {
            return listener.localAddress();
        }

        @Override
        public void close() {
            listener.close().awaitUninterruptibly();
        }
    }
}
