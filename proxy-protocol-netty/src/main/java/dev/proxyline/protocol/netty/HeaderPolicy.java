package dev.proxyline.protocol.netty;

/** What a PROXY listener does with connections from one group of sources. */
public enum HeaderPolicy {
    /**
     * A header must come first and its addresses are the client's. The usual policy for the
     * balancers in front of a PROXY listener.
     */
    REQUIRE,
    /**
     * Like {@link #REQUIRE}, but a connection that does not start with a header is passed on
     * unchanged. The specification forbids guessing, so this is allowed only for sources named as
     * trusted, never as the default for unmatched ones.
     *
     * <p>Bytes that could still begin a header ({@code "P"}, the start of the v2 signature) are held
     * until the next read decides, so a client that sends such a prefix and then waits is cut at the
     * deadline, and a protocol where the server speaks first cannot use this policy at all.
     */
    OPTIONAL,
    /** A header must come first; it is read and stripped, but the socket's addresses are kept. */
    IGNORE,
    /** Connections from these sources are closed at once, before a byte is read. */
    REJECT
}
