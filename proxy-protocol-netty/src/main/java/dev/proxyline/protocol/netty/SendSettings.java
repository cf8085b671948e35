package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.TransportProtocol;
import dev.proxyline.protocol.Tlv;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an upstream connection announces its client: the version, the TLVs to add (v2 only) and
 * whether to add a CRC32C checksum (v2 only).
 */
public record SendSettings(ProtocolVersion version, List<Tlv> tlvs, boolean crc32c) {

    public SendSettings {
        Objects.requireNonNull(version, "version");
        tlvs = List.copyOf(tlvs);
        if (version == ProtocolVersion.V1 && (!tlvs.isEmpty() || crc32c)) {
            throw new IllegalArgumentException("a v1 header carries neither TLVs nor a CRC32C checksum; send v2 for them");
        }
        if (tlvs.stream().anyMatch(Tlv.Crc32c.class::isInstance)) {
            throw new IllegalArgumentException("ask for a checksum with crc32c = true, not with a CRC32C TLV");
        }
    }

    /** {@code version} without TLVs or checksum. */
    public static SendSettings of(ProtocolVersion version) {
        return new SendSettings(version, List.of(), false);
    }

    /**
     * The header for a TCP connection from {@code client} to {@code destination}; when either is not
     * an IP address (an AF_UNIX client, say) the header says UNKNOWN (v1) or UNSPEC (v2), so that
     * the receiver keeps its own socket addresses. The checksum, when asked for, comes first as in
     * HAProxy; the encoder fills it in.
     */
    public ProxyHeader headerFor(SocketAddress client, SocketAddress destination) {
        List<Tlv> all = tlvs;
        if (crc32c) {
            all = new ArrayList<>(tlvs.size() + 1);
            all.add(Tlv.Crc32c.PLACEHOLDER);
            all.addAll(tlvs);
        }
        if (client instanceof InetSocketAddress source && destination instanceof InetSocketAddress target
                && !source.isUnresolved() && !target.isUnresolved()) {
            return ProxyHeader.proxy(version, TransportProtocol.STREAM, source, target, all);
        }
        return ProxyHeader.unknown(version, all);
    }
}
