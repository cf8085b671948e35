package dev.proxyline.server.http;

/**
 * The user event that tells a connection's request stage the server is stopping: an idle keep-alive
 * connection closes at once and a busy one after its current response, as nginx's graceful shutdown
 * does, so that draining does not wait for clients that merely keep connections open.
 */
public enum Drain {
    /** The one event. */
    REQUESTED
}
