package dev.proxyline.server.transport;

import java.io.FileNotFoundException;

/**
 * The innermost cause of a failure, which names the socket or TLS error (ECONNREFUSED, a certificate check);
 * the wrappers around it (Netty's, the JDK's) only add noise to a log line.
 */
public final class RootCause {
    private RootCause() {}

    /** The innermost cause of {@code failure}, or {@code failure} itself when it has none. */
    public static Throwable of(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root;
    }

    /** The innermost cause's message, or its class's simple name when it has no message. */
    public static String message(Throwable failure) {
        Throwable root = of(failure);
        String message = root.getMessage();
        if (message == null && root instanceof FileNotFoundException) {
            // Netty's native sockets throw it bare for ENOENT: a UNIX-domain socket file that is not there.
            return "No such file or directory";
        }
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
