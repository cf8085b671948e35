package dev.proxyline.server.stream.splice;

import java.io.IOException;

/**
 * What a spliced relay reports to the session that owns the two sockets (and closes them). Called on
 * their event loop only.
 */
public interface SpliceSession {

    /** The relay now runs spliced; the session must {@link SplicedRelay#stop stop} it before it closes a socket. */
    void spliced(SplicedRelay relay);

    /** The hand-over did not happen (a condition changed, or pipe()/epoll registration failed): read buffered again. */
    void resumeBuffered();

    /**
     * {@code proxy_half_close}: true to pass a FIN on to the other side after the last byte and run the
     * opposite direction on; false to end the relay at the first FIN once its bytes were delivered.
     */
    boolean passesFinOn();

    /** True if the {@code fromClient} side's FIN was passed on before the hand-over: that direction is over. */
    boolean ended(boolean fromClient);

    /**
     * Bytes moved in one direction: {@code read} taken from the {@code fromClient} side's socket,
     * {@code written} handed to the other side's socket.
     */
    void moved(boolean fromClient, long read, long written);

    /**
     * The relay is over and stopped: both directions ended and their FINs were passed on, or, when
     * FINs are not {@linkplain #passesFinOn passed on}, one direction ended with every byte delivered.
     * The session is complete; closing both sockets sends what FIN is left.
     */
    void finished();

    /** A socket failed (reset, broken pipe); {@code clientSide} names the side it happened on. */
    void failed(boolean clientSide, IOException cause);

    /** The event loop is shutting down with the relay running: the relay is stopped, the session closes both sockets. */
    void loopClosing();
}
