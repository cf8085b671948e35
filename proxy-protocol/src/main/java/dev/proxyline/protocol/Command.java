package dev.proxyline.protocol;

/** The command of a PROXY header (v2 byte 12, low nibble). A v1 header is always {@link #PROXY}. */
public enum Command {
    /** The connection was made by the proxy itself (health check); the real endpoints apply. */
    LOCAL(0x0),
    /** The connection is relayed for a client whose endpoints the header carries. */
    PROXY(0x1);

    private final int code;

    Command(int code) {
        this.code = code;
    }

    /** The value of the low nibble of v2 byte 12. */
    public int code() {
        return code;
    }
}
