package dev.proxyline.protocol;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link ProxyHeader}s in the version each one names.
 *
 * <p>v1: TCP over IPv4 or IPv6 as {@code TCP4}/{@code TCP6} (IPv6 text per RFC 5952); everything
 * else (LOCAL, UDP, AF_UNIX, unspecified) as {@code PROXY UNKNOWN\r\n}, as the specification asks.
 * v1 has no TLVs, so a header with TLVs cannot be sent as v1.
 *
 * <p>v2: the addresses of the endpoints (none for unspecified endpoints, which are sent as family
 * {@code UNSPEC}), then the TLVs in order. A {@link Tlv.Crc32c} is filled with the checksum of the
 * finished header, wherever it stands.
 */
public final class ProxyHeaderEncoder {
    private static final byte[] V1_UNKNOWN = "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);

    private ProxyHeaderEncoder() {
    }

    /** The header's bytes. */
    public static byte[] encode(ProxyHeader header) {
        if (header.version() == ProtocolVersion.V1) {
            return encodeV1(header);
        }
        byte[] out = new byte[encodedLength(header)];
        encodeV2(header, ByteBuffer.wrap(out));
        return out;
    }

    /** Writes the header at {@code out}'s position, advancing it. */
    public static void encode(ProxyHeader header, ByteBuffer out) {
        if (header.version() == ProtocolVersion.V1) {
            out.put(encodeV1(header));
        } else {
            encodeV2(header, out);
        }
    }

    /** How many bytes {@link #encode} writes. */
    public static int encodedLength(ProxyHeader header) {
        if (header.version() == ProtocolVersion.V1) {
            return encodeV1(header).length;
        }
        return ProxyHeaderDecoder.V2_FIXED_LENGTH + v2BlockLength(header);
    }

    // ------------------------------------------------------------------ v1

    private static byte[] encodeV1(ProxyHeader header) {
        if (!header.tlvs().isEmpty() || !header.opaqueBlock().isEmpty()) {
            throw new ProxyEncodeException(Reason.NOT_ENCODABLE, "a v1 header cannot carry TLVs; send v2 to include them");
        }
        if (header.command() != Command.PROXY || header.transport() != TransportProtocol.STREAM
                || !(header.endpoints() instanceof Endpoints.Inet inet)) {
            return V1_UNKNOWN.clone();
        }
        String protocol = header.family() == AddressFamily.INET ? "TCP4" : "TCP6";
        return ("PROXY " + protocol + ' ' + text(inet.source()) + ' ' + text(inet.destination()) + ' '
                + inet.source().getPort() + ' ' + inet.destination().getPort() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(InetSocketAddress address) {
        return InetLiterals.format(address.getAddress());
    }

    // ------------------------------------------------------------------ v2

    private static int v2BlockLength(ProxyHeader header) {
        long length = addressBlockLength(header) + (long) header.opaqueBlock().length();
        int checksums = 0;
        for (Tlv tlv : header.tlvs()) {
            // Receivers refuse a second checksum (the decoder does), so never produce one.
            if (tlv instanceof Tlv.Crc32c && ++checksums > 1) {
                throw new ProxyEncodeException(Reason.NOT_ENCODABLE, "a v2 header carries at most one CRC32C TLV");
            }
            int valueLength = tlv.value().length();
            if (valueLength > Tlv.MAX_VALUE_LENGTH) {
                throw new ProxyEncodeException(Reason.HEADER_TOO_LONG, "TLV 0x" + TlvParser.hex(tlv.type())
                        + " value is " + valueLength + " bytes; a TLV holds at most 65535");
            }
            length += 3 + valueLength;
        }
        if (length > 0xFFFF) {
            throw new ProxyEncodeException(Reason.HEADER_TOO_LONG, "the addresses and TLVs take " + length
                    + " bytes; a v2 header holds at most 65535 after its 16 fixed bytes");
        }
        return (int) length;
    }

    private static int addressBlockLength(ProxyHeader header) {
        if (header.endpoints() instanceof Endpoints.Inet inet) {
            return inet.source().getAddress().getAddress().length == 4
                    ? AddressFamily.INET.addressBlockLength() : AddressFamily.INET6.addressBlockLength();
        }
        if (header.endpoints() instanceof Endpoints.Unix) {
            return AddressFamily.UNIX.addressBlockLength();
        }
        return zeroAddresses(header) ? header.family().addressBlockLength() : 0;
    }

    /**
     * A LOCAL header that announces a family (as a decoded AWS NLB health check does) keeps it, with
     * a zeroed address block since receivers ignore it, so that a decoded header re-encodes to an
     * equal one. An opaque block already holds the original address bytes.
     */
    private static boolean zeroAddresses(ProxyHeader header) {
        return keepsAnnouncedFamily(header) && header.opaqueBlock().isEmpty();
    }

    private static boolean keepsAnnouncedFamily(ProxyHeader header) {
        return header.command() == Command.LOCAL && header.endpoints() instanceof Endpoints.Unspecified;
    }

    private static int familyByte(ProxyHeader header) {
        if (header.endpoints() instanceof Endpoints.Unspecified && !keepsAnnouncedFamily(header)) {
            return 0;
        }
        return header.family().code() << 4 | header.transport().code();
    }

    // Byte by byte, not putShort/putInt: the caller's buffer may be little-endian, the wire is not.
    private static void putUint16(ByteBuffer out, int value) {
        out.put((byte) (value >>> 8));
        out.put((byte) value);
    }

    private static void putInt32(ByteBuffer out, int index, int value) {
        out.put(index, (byte) (value >>> 24));
        out.put(index + 1, (byte) (value >>> 16));
        out.put(index + 2, (byte) (value >>> 8));
        out.put(index + 3, (byte) value);
    }

    private static void encodeV2(ProxyHeader header, ByteBuffer out) {
        int blockLength = v2BlockLength(header);
        int start = out.position();
        out.put(ProxyHeaderDecoder.V2_SIGNATURE);
        out.put((byte) (0x20 | header.command().code()));
        out.put((byte) familyByte(header));
        putUint16(out, blockLength);
        writeAddresses(header.endpoints(), out);
        if (zeroAddresses(header)) {
            for (int i = 0; i < header.family().addressBlockLength(); i++) {
                out.put((byte) 0);
            }
        }
        header.opaqueBlock().writeTo(out);
        int crcAt = -1;
        for (Tlv tlv : header.tlvs()) {
            Bytes value = tlv.value();
            out.put((byte) tlv.type());
            putUint16(out, value.length());
            if (tlv instanceof Tlv.Crc32c) {
                crcAt = out.position();
                putInt32(out, crcAt, 0);
                out.position(crcAt + 4);
            } else {
                value.writeTo(out);
            }
        }
        if (crcAt >= 0) {
            putInt32(out, crcAt, ProxyHeaderDecoder.crc32c(out, start, out.position(), crcAt));
        }
    }

    private static void writeAddresses(Endpoints endpoints, ByteBuffer out) {
        if (endpoints instanceof Endpoints.Inet inet) {
            out.put(inet.source().getAddress().getAddress());
            out.put(inet.destination().getAddress().getAddress());
            putUint16(out, inet.source().getPort());
            putUint16(out, inet.destination().getPort());
        } else if (endpoints instanceof Endpoints.Unix unix) {
            writePath(unix.sourcePath(), out);
            writePath(unix.destinationPath(), out);
        }
    }

    private static void writePath(Bytes path, ByteBuffer out) {
        path.writeTo(out);
        for (int i = path.length(); i < Endpoints.Unix.MAX_PATH_LENGTH; i++) {
            out.put((byte) 0);
        }
    }
}
