package dev.proxyline.protocol;

import java.util.Objects;

/** A sub-TLV inside the {@link Tlv.Ssl} value; the registered types are 0x21–0x28. */
public record SslSubTlv(int type, Bytes value) {
    public static final int VERSION = 0x21;
    public static final int CN = 0x22;
    public static final int CIPHER = 0x23;
    public static final int SIG_ALG = 0x24;
    public static final int KEY_ALG = 0x25;
    public static final int GROUP = 0x26;
    public static final int SIG_SCHEME = 0x27;
    public static final int CLIENT_CERT = 0x28;

    public SslSubTlv {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("SSL sub-TLV type must fit one byte: " + type);
        }
        Objects.requireNonNull(value, "value");
        if (value.length() > Tlv.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("SSL sub-TLV value is " + value.length() + " bytes, more than 65535");
        }
    }
}
