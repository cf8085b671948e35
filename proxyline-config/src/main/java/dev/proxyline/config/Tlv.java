package dev.proxyline.config;

import java.util.Objects;

/**
 * A TLV that proxyline adds to the PROXY v2 header it sends. {@code value} may contain nginx variables
 * (e.g. {@code $ssl_preread_alpn_protocols}); the runtime expands it per connection.
 */
public record Tlv(int type, String value) {
    public static final int ALPN = 0x01;
    public static final int AUTHORITY = 0x02;
    public static final int UNIQUE_ID = 0x05;
    public static final int NETNS = 0x30;
    public static final int CUSTOM_MIN = 0xE0;
    public static final int CUSTOM_MAX = 0xEF;

    public Tlv {
        Objects.requireNonNull(value, "value");
        if (type < 0 || type > 0xFF) throw new IllegalArgumentException("TLV type " + type);
    }
}
