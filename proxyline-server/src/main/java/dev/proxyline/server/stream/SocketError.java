package dev.proxyline.server.stream;

import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.SocketException;
import java.util.Optional;

/**
 * The error a socket holds for its next call (SO_ERROR), which EPOLLERR announces: a reset, a keep-alive or
 * retransmission timeout. Named by the kernel's own description, as the JDK's socket exceptions are, rather than
 * as a failure of a call that was never made.
 */
public final class SocketError {
    /** Ends what Netty puts before the description: {@code "<call>(..) failed with error(-104): "}. */
    private static final String NETTY_PREFIX = "): ";

    private SocketError() {
    }

    /** The error pending on {@code socket}, cleared by asking; empty when there is none. */
    public static Optional<IOException> take(Socket socket) throws IOException {
        int errno = socket.getSoError();
        if (errno == 0) {
            return Optional.empty();
        }
        // Netty has no public strerror; its exceptions carry the description at the end of their message.
        String worded = Errors.newIOException("getsockopt", -errno).getMessage();
        int at = worded.lastIndexOf(NETTY_PREFIX);
        return Optional.of(new SocketException(at < 0 ? "errno " + errno : worded.substring(at + NETTY_PREFIX.length())));
    }
}
