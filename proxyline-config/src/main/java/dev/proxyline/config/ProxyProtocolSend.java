package dev.proxyline.config;

import java.util.List;

/** Sending side: whether to prepend a PROXY header to upstream connections, which version, which TLVs. */
public record ProxyProtocolSend(boolean enabled, int version, List<Tlv> tlvs, boolean crc32c) {
    public static final ProxyProtocolSend OFF = new ProxyProtocolSend(false, 1, List.of(), false);

    public ProxyProtocolSend {
        tlvs = List.copyOf(tlvs);
        if (version != 1 && version != 2) throw new IllegalArgumentException("version must be 1 or 2");
        if (version == 1 && (crc32c || !tlvs.isEmpty())) {
            throw new IllegalArgumentException("TLVs and CRC32C need version 2");
        }
    }

    public ProxyProtocolSend withEnabled(boolean on) {
        return new ProxyProtocolSend(on, version, tlvs, crc32c);
    }
}
