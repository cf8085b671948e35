package dev.proxyline.server.variables;

/**
 * Where a request's set values may be written from outside the rewrite module's steps: a {@code map} regex's match
 * makes its captures the request's, as nginx's does, wherever the map is used.
 */
public interface SetValues {
    /** Nowhere: a snapshot built by hand, or one of the stream module. */
    SetValues NONE = slots -> null;

    /**
     * The request's set values, made with {@code slots} places when it had none yet; null where nothing may be
     * written.
     */
    String[] writable(int slots);
}
