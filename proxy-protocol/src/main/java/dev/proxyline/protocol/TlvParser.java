package dev.proxyline.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link Tlv} records from wire bytes and enforces the rules of each registered type.
 * Returns a {@link Tlv} or a {@link DecodeResult.Invalid} instead of throwing, so that the decoder
 * refuses bad input without exceptions on the connection path.
 */
final class TlvParser {
    private TlvParser() {
    }

    /** The TLV of {@code type} whose value is {@code value}, or why it is invalid. */
    static Object parse(int type, Bytes value) {
        byte[] raw = value.toArray();
        return parse(type, ByteBuffer.wrap(raw), 0, raw.length, 0);
    }

    /**
     * The TLV of {@code type} whose value is the {@code length} bytes of {@code in} at absolute
     * {@code index}; {@code offset} is where the TLV starts in the header, for messages.
     */
    static Object parse(int type, ByteBuffer in, int index, int length, int offset) {
        if (type < 0 || type > 0xFF) {
            return new DecodeResult.Invalid(Reason.TLV_BAD_VALUE, offset, "TLV type " + type + " does not fit one byte");
        }
        if (length > Tlv.MAX_VALUE_LENGTH) {
            return new DecodeResult.Invalid(Reason.TLV_BAD_VALUE, offset,
                    "TLV 0x" + hex(type) + " value is " + length + " bytes (expected at most 65535)");
        }
        switch (type) {
            case Tlv.TYPE_ALPN:
                return new Tlv.Alpn(Bytes.copyOf(in, index, length));
            case Tlv.TYPE_AUTHORITY:
                return new Tlv.Authority(Bytes.copyOf(in, index, length));
            case Tlv.TYPE_CRC32C:
                if (length != 4) {
                    return new DecodeResult.Invalid(Reason.TLV_BAD_VALUE, offset,
                            "invalid CRC32C TLV at offset " + offset + ": value is " + length + " bytes (expected 4)");
                }
                return new Tlv.Crc32c(ProxyHeaderDecoder.int32(in, index));
            case Tlv.TYPE_NOOP:
                return new Tlv.Noop(Bytes.copyOf(in, index, length));
            case Tlv.TYPE_UNIQUE_ID:
                if (length > Tlv.UniqueId.MAX_LENGTH) {
                    return new DecodeResult.Invalid(Reason.TLV_BAD_VALUE, offset,
                            "invalid UNIQUE_ID TLV at offset " + offset + ": value is " + length + " bytes (expected at most 128)");
                }
                return new Tlv.UniqueId(Bytes.copyOf(in, index, length));
            case Tlv.TYPE_SSL:
                return parseSsl(in, index, length, offset);
            case Tlv.TYPE_NETNS:
                return new Tlv.Netns(Bytes.copyOf(in, index, length));
            case Tlv.TYPE_AWS:
                if (length >= 1 && in.get(index) == Tlv.AwsVpcEndpointId.SUBTYPE) {
                    return new Tlv.AwsVpcEndpointId(Bytes.copyOf(in, index + 1, length - 1));
                }
                break;
            case Tlv.TYPE_AZURE:
                if (length == 5 && in.get(index) == Tlv.AzurePrivateLinkId.SUBTYPE) {
                    // The one little-endian field of the protocol family.
                    return new Tlv.AzurePrivateLinkId(Integer.reverseBytes(ProxyHeaderDecoder.int32(in, index + 1)) & 0xFFFF_FFFFL);
                }
                break;
            case Tlv.TYPE_GCP:
                if (length == 8) {
                    return new Tlv.GcpPscConnectionId((long) ProxyHeaderDecoder.int32(in, index) << 32
                            | (ProxyHeaderDecoder.int32(in, index + 4) & 0xFFFF_FFFFL));
                }
                break;
            default:
                break;
        }
        // Vendor types with an unexpected shape stay raw: the range is the application's, not ours to refuse.
        return new Tlv.Other(type, Bytes.copyOf(in, index, length));
    }

    private static Object parseSsl(ByteBuffer in, int index, int length, int offset) {
        if (length < 5) {
            return new DecodeResult.Invalid(Reason.TLV_BAD_VALUE, offset, "invalid SSL TLV at offset " + offset
                    + ": value is " + length + " bytes (expected at least 5: client bits and 32-bit verify)");
        }
        int client = in.get(index) & 0xFF;
        long verify = ProxyHeaderDecoder.int32(in, index + 1) & 0xFFFF_FFFFL;
        List<SslSubTlv> subs = new ArrayList<>(4);
        int at = index + 5;
        int end = index + length;
        while (at < end) {
            int subOffset = offset + 3 + (at - index);
            if (end - at < 3) {
                return new DecodeResult.Invalid(Reason.TLV_MALFORMED, subOffset, "malformed SSL sub-TLV at offset "
                        + subOffset + ": " + (end - at) + " stray byte(s) (expected a 3-byte type and length)");
            }
            int subType = in.get(at) & 0xFF;
            int subLength = ProxyHeaderDecoder.uint16(in, at + 1);
            if (subLength > end - at - 3) {
                return new DecodeResult.Invalid(Reason.TLV_MALFORMED, subOffset, "malformed SSL sub-TLV 0x" + hex(subType)
                        + " at offset " + subOffset + ": length " + subLength + " runs past the SSL TLV ("
                        + (end - at - 3) + " bytes left)");
            }
            subs.add(new SslSubTlv(subType, Bytes.copyOf(in, at + 3, subLength)));
            at += 3 + subLength;
        }
        return new Tlv.Ssl(client, verify, subs);
    }

    static String hex(int value) {
        return String.format("%02x", value);
    }
}
