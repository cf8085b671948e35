package dev.proxyline.server.tls;

import io.netty.buffer.ByteBuf;

/**
 * Whether a ClientHello asks for the certificate status (the {@code status_request} extension), which is when
 * OpenSSL calls nginx's status callback: only such a handshake gets a staple or starts a fetch. netty-tcnative does
 * not expose BoringSSL's view of the extension, so the hello Netty's SNI handler has already gathered is read here.
 */
public final class StatusRequest {
    private static final int STATUS_REQUEST = 5;
    /** client_version and random. */
    private static final int FIXED = 2 + 32;

    private StatusRequest() {
    }

    /**
     * @param hello the ClientHello body from its {@code client_version} on (readable bytes, not consumed); {@code null}
     *              for none
     */
    public static boolean asked(ByteBuf hello) {
        if (hello == null) return false;
        int at = hello.readerIndex() + FIXED;
        int end = hello.writerIndex();
        if (at + 1 > end) return false;
        at += 1 + hello.getUnsignedByte(at); // session_id
        if (at + 2 > end) return false;
        at += 2 + hello.getUnsignedShort(at); // cipher_suites
        if (at + 1 > end) return false;
        at += 1 + hello.getUnsignedByte(at); // compression_methods
        if (at + 2 > end) return false;
        int extensionsEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
        at += 2;
        while (at + 4 <= extensionsEnd) {
            if (hello.getUnsignedShort(at) == STATUS_REQUEST) return true;
            at += 4 + hello.getUnsignedShort(at + 2);
        }
        return false;
    }
}
