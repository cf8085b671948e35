package dev.proxyline.protocol;

/** The transport protocol of a PROXY header (v2 byte 13, low nibble; v1 TCP is {@link #STREAM}). */
public enum TransportProtocol {
    UNSPEC(0x0),
    /** TCP, or a stream UNIX socket. */
    STREAM(0x1),
    /** UDP, or a datagram UNIX socket. */
    DGRAM(0x2);

    private final int code;

    TransportProtocol(int code) {
        this.code = code;
    }

    /** The value of the low nibble of v2 byte 13. */
    public int code() {
        return code;
    }
}
