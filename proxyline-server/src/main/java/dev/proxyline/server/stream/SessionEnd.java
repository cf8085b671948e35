package dev.proxyline.server.stream;

/** Why a stream session ended; finer than {@link SessionStatus}, for logs and metrics. */
public enum SessionEnd {
    /** Both sides finished sending (FIN each way) or one side closed and everything pending was flushed. */
    COMPLETE,
    /** Nothing was read or written on either connection for {@code proxy_timeout}. */
    IDLE_TIMEOUT,
    /** A socket operation failed (reset, broken pipe) or a handler raised an error. */
    IO_ERROR,
    /** The upstream could not be connected. */
    CONNECT_FAILED,
    /** The session was refused before relaying ({@link SessionRejectedException}, {@link StreamProxy#reject}). */
    REJECTED,
    /** The client went away before an upstream was connected. */
    CLIENT_GONE
}
