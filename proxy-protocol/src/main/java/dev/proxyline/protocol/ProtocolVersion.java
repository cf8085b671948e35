package dev.proxyline.protocol;

/** The two wire formats of the PROXY protocol. */
public enum ProtocolVersion {
    /** The human-readable line, {@code PROXY TCP4 … \r\n}, at most 107 bytes. */
    V1,
    /** The binary block starting with the 12-byte signature, at most 16 + 65535 bytes. */
    V2
}
