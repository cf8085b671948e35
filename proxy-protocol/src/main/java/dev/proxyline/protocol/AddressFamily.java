package dev.proxyline.protocol;

/** The address family of a PROXY header (v2 byte 13, high nibble; v1 TCP4/TCP6/UNKNOWN). */
public enum AddressFamily {
    /** Unknown or unsupported; v1 {@code UNKNOWN}. The receiver keeps the socket's endpoints. */
    UNSPEC(0x0, 0),
    /** IPv4: 4 + 4 address bytes and 2 + 2 port bytes in v2. */
    INET(0x1, 12),
    /** IPv6: 16 + 16 address bytes and 2 + 2 port bytes in v2. */
    INET6(0x2, 36),
    /** AF_UNIX: two 108-byte, NUL-padded paths in v2. */
    UNIX(0x3, 216);

    private final int code;
    private final int addressBlockLength;

    AddressFamily(int code, int addressBlockLength) {
        this.code = code;
        this.addressBlockLength = addressBlockLength;
    }

    /** The value of the high nibble of v2 byte 13. */
    public int code() {
        return code;
    }

    /** How many bytes the addresses and ports take in a v2 header. */
    public int addressBlockLength() {
        return addressBlockLength;
    }
}
