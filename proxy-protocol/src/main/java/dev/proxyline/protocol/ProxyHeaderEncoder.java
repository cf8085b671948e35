package dev.proxyline.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
            if (isV1Tcp4(header)) {
                Endpoints.Inet inet = (Endpoints.Inet) header.endpoints();
                byte[] line = new byte[v1Tcp4Length(inet)];
                writeV1Tcp4(inet, line, 0);
                return line;
            }
            return encodeV1(header);
        }
        byte[] out = new byte[encodedLength(header)];
        encodeV2(header, ByteBuffer.wrap(out));
        return out;
    }

    /** Writes the header at {@code out}'s position, advancing it. */
    public static void encode(ProxyHeader header, ByteBuffer out) {
        if (header.version() == ProtocolVersion.V1) {
            if (isV1Tcp4(header) && out.hasArray() && out.remaining() >= V1_TCP4_MAX_LENGTH) {
                // perf: arrayOffset() once; each call checks the buffer again.
                int offset = out.arrayOffset();
                int end = writeV1Tcp4((Endpoints.Inet) header.endpoints(), out.array(), offset + out.position());
                out.position(end - offset);
            } else {
                out.put(encodeV1(header));
            }
        } else {
            encodeV2(header, out);
        }
    }

    /** How many bytes {@link #encode} writes. */
    public static int encodedLength(ProxyHeader header) {
        if (header.version() == ProtocolVersion.V1) {
            return isV1Tcp4(header) ? v1Tcp4Length((Endpoints.Inet) header.endpoints()) : encodeV1(header).length;
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

    /** "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n" */
    private static final int V1_TCP4_MAX_LENGTH = 56;
    private static final byte[] V1_TCP4_PREFIX = "PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII);

    /** perf: true when {@link #encodeV1} would write a TCP4 line, which {@link #writeV1Tcp4} writes without Strings. */
    private static boolean isV1Tcp4(ProxyHeader header) {
        return header.family() == AddressFamily.INET && header.command() == Command.PROXY
                && header.transport() == TransportProtocol.STREAM && header.endpoints() instanceof Endpoints.Inet
                && header.tlvs().isEmpty() && header.opaqueBlock().isEmpty();
    }

    /**
     * perf: the same bytes as {@link #encodeV1} for a TCP4 header, written as digits straight into
     * {@code out} at {@code at}, which has room for the line ({@link #v1Tcp4Length}); returns the
     * index after the line. Some stores are wider than what they must write; what they write too
     * much is always overwritten by what follows, inside the line.
     */
    private static int writeV1Tcp4(Endpoints.Inet inet, byte[] out, int at) {
        // The four values first: each sits at the end of a chain of dependent loads (endpoints,
        // socket address, its holder, the address, its holder), and the chains can run side by side.
        InetSocketAddress source = inet.source();
        InetSocketAddress destination = inet.destination();
        int sourceAddress = ipv4(source);
        int destinationAddress = ipv4(destination);
        int sourcePort = source.getPort();
        int destinationPort = destination.getPort();
        // "PROXY TCP4 " as three stores rather than an 11-byte arraycopy.
        LONG_BE.set(out, at, PROXY_TC);
        SHORT_BE.set(out, at + 8, P4);
        out[at + 10] = ' ';
        at = writeIpv4(sourceAddress, out, at + V1_TCP4_PREFIX.length);
        at = writeIpv4(destinationAddress, out, at);
        at = writePort(sourcePort, out, at);
        out[at] = ' ';
        at = writePort(destinationPort, out, at + 1);
        SHORT_BE.set(out, at, CRLF);
        return at + 2;
    }

    /**
     * The length of the TCP4 line: each address with its separator is as long as its four octets
     * with their dots in {@link #OCTET_TEXT}. {@link #writeV1Tcp4} stores nothing past the line's end,
     * so the line can be written straight into an array of this size.
     */
    private static int v1Tcp4Length(Endpoints.Inet inet) {
        return V1_TCP4_PREFIX.length + ipv4Length(ipv4(inet.source())) + ipv4Length(ipv4(inet.destination()))
                + portLength(inet.source().getPort()) + 1 + portLength(inet.destination().getPort()) + 2;
    }

    private static int ipv4Length(int address) {
        return (int) OCTET_TEXT[address >>> 24] + (int) OCTET_TEXT[address >>> 16 & 0xFF]
                + (int) OCTET_TEXT[address >>> 8 & 0xFF] + (int) OCTET_TEXT[address & 0xFF] & 0xFF;
    }

    private static int portLength(int value) {
        return value < 100 ? HUNDREDS_TEXT[value] & 0xFF : (HUNDREDS_TEXT[value / 100] & 0xFF) + 2;
    }

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final long PROXY_TC = (long) LONG_BE.get(V1_TCP4_PREFIX, 0);
    private static final short P4 = (short) SHORT_BE.get(V1_TCP4_PREFIX, 8);
    private static final short CRLF = (short) ('\r' << 8 | '\n');

    /**
     * perf: the text of each octet 0-255 and a dot, left-aligned in the high half of a big-endian
     * long ("7." is {@code '7' '.' 0 0}), with its length in the low byte: one table load per octet,
     * and two octets joined in a register and written with one 8-byte store, instead of divisions
     * and a store per digit. The zero bytes stored past the text are overwritten by what follows
     * in the line: the next two octets, or the ports, separators and CRLF (at least 5 bytes).
     */
    private static final long[] OCTET_TEXT = new long[256];
    private static final long TEXT = 0xFFFF_FFFF_0000_0000L;

    static {
        for (int value = 0; value < 256; value++) {
            byte[] text = (value + ".").getBytes(StandardCharsets.US_ASCII);
            byte[] padded = java.util.Arrays.copyOf(text, 4);
            OCTET_TEXT[value] = (long) (int) INT_BE.get(padded, 0) << 32 | text.length;
        }
    }

    /** The address as dotted decimal and a space. */
    private static int writeIpv4(int address, byte[] out, int at) {
        long a = OCTET_TEXT[address >>> 24];
        long b = OCTET_TEXT[address >>> 16 & 0xFF];
        long c = OCTET_TEXT[address >>> 8 & 0xFF];
        long d = OCTET_TEXT[address & 0xFF];
        int lengthA = (int) a & 0xFF;
        int lengthC = (int) c & 0xFF;
        // The second octet's text shifted right by the first's length lands just after it.
        LONG_BE.set(out, at, a & TEXT | (b & TEXT) >>> (lengthA << 3));
        at += lengthA + ((int) b & 0xFF);
        LONG_BE.set(out, at, c & TEXT | (d & TEXT) >>> (lengthC << 3));
        at += lengthC + ((int) d & 0xFF);
        out[at - 1] = ' '; // the last octet's dot
        return at;
    }

    /**
     * perf: true when {@link Inet4Address#hashCode()} is the address as a big-endian int, as it is
     * in every JDK so far ({@code holder().getAddress()}). Reading it that way spares
     * {@link Inet4Address#getAddress()}, which builds a new array from that int on every call
     * (about a tenth of the time of a TCP4 line). Checked here on addresses that cover every bit,
     * so that a JDK that hashes otherwise gets the array path instead of wrong bytes.
     */
    private static final boolean HASH_IS_IPV4_ADDRESS = hashIsIpv4Address();

    private static boolean hashIsIpv4Address() {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 64; i++) {
            int expected = i < 32 ? 1 << i : 0x9E3779B9 * i;
            INT_BE.set(bytes, 0, expected);
            try {
                if (InetAddress.getByAddress(bytes).hashCode() != expected) {
                    return false;
                }
            } catch (UnknownHostException impossible) {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address of {@code address} as a big-endian int. */
    private static int ipv4(InetSocketAddress address) {
        Inet4Address inet = (Inet4Address) address.getAddress();
        return HASH_IS_IPV4_ADDRESS ? inet.hashCode() : (int) INT_BE.get(inet.getAddress(), 0);
    }

    /** perf: "00" to "99" as big-endian shorts: the last two digits of a port in one store. */
    private static final short[] DIGIT_PAIRS = new short[100];
    /**
     * perf: 0 to 655 as text without leading zeros, left-aligned in a big-endian int, with its length
     * in the low byte ("7" is {@code '7' 0 0 1}): a port is its hundreds from here and its last two
     * digits from {@link #DIGIT_PAIRS}, one division and two stores.
     */
    private static final int[] HUNDREDS_TEXT = new int[656];

    static {
        for (int value = 0; value < 100; value++) {
            DIGIT_PAIRS[value] = (short) (('0' + value / 10) << 8 | ('0' + value % 10));
        }
        for (int value = 0; value < HUNDREDS_TEXT.length; value++) {
            byte[] padded = java.util.Arrays.copyOf(Integer.toString(value).getBytes(StandardCharsets.US_ASCII), 4);
            HUNDREDS_TEXT[value] = (int) INT_BE.get(padded, 0) | Integer.toString(value).length();
        }
    }

    /**
     * {@code value} (0-65535) in decimal, as {@link Integer#toString(int)} writes it. May leave one
     * byte of junk just after the digits, which the separator that always follows overwrites.
     */
    private static int writePort(int value, byte[] out, int at) {
        if (value < 100) {
            int text = HUNDREDS_TEXT[value];
            SHORT_BE.set(out, at, (short) (text >>> 16));
            return at + (text & 0xFF);
        }
        int hundreds = value / 100;
        int text = HUNDREDS_TEXT[hundreds];
        int length = text & 0xFF;
        INT_BE.set(out, at, text);
        SHORT_BE.set(out, at + length, DIGIT_PAIRS[value - hundreds * 100]);
        return at + length + 2;
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
            // perf: instanceof, not getAddress().length, which clones the address to read its length.
            return inet.source().getAddress() instanceof Inet4Address
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
        if (header.endpoints() instanceof Endpoints.Inet inet && out.hasArray() && out.order() == ByteOrder.BIG_ENDIAN
                && encodeV2Inet(header, inet, out)) {
            return;
        }
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

    /**
     * perf: {@link #encodeV2} for IP endpoints into a big-endian heap buffer, in one pass: plain
     * array stores instead of a checked relative put per field, and the block length filled in
     * last instead of sized by a first walk over the TLVs. Writes the same bytes and returns true;
     * returns false, with the position unchanged, when the header does not fit in the buffer or
     * breaks a rule (a second CRC32C, too long), and {@link #encodeV2}'s general path then writes
     * it or throws exactly as before. Bytes past the position may have been written meanwhile.
     */
    private static boolean encodeV2Inet(ProxyHeader header, Endpoints.Inet inet, ByteBuffer out) {
        byte[] a = out.array();
        int base = out.arrayOffset();
        int start = out.position();
        int begin = base + start;
        int limit = base + out.limit();
        byte[] source = inet.source().getAddress().getAddress();
        byte[] destination = inet.destination().getAddress().getAddress();
        Bytes opaque = header.opaqueBlock();
        int at = begin + ProxyHeaderDecoder.V2_FIXED_LENGTH;
        if (limit - at < 2 * source.length + 4 + opaque.length()) {
            return false;
        }
        System.arraycopy(ProxyHeaderDecoder.V2_SIGNATURE, 0, a, begin, ProxyHeaderDecoder.V2_SIGNATURE.length);
        a[begin + 12] = (byte) (0x20 | header.command().code());
        a[begin + 13] = (byte) (header.family().code() << 4 | header.transport().code());
        System.arraycopy(source, 0, a, at, source.length);
        at += source.length;
        System.arraycopy(destination, 0, a, at, destination.length);
        at += destination.length;
        at = putShort(a, at, inet.source().getPort());
        at = putShort(a, at, inet.destination().getPort());
        opaque.copyTo(a, at);
        at += opaque.length();
        int crcAt = -1;
        List<Tlv> tlvs = header.tlvs();
        for (int i = 0; i < tlvs.size(); i++) {
            Tlv tlv = tlvs.get(i);
            if (tlv instanceof Tlv.Crc32c) {
                if (crcAt >= 0 || limit - at < 7) {
                    return false;
                }
                a[at] = (byte) Tlv.TYPE_CRC32C;
                putShort(a, at + 1, 4); // its value() is always 4 bytes; zeros until the checksum is known
                crcAt = at + 3;
                java.util.Arrays.fill(a, crcAt, crcAt + 4, (byte) 0);
                at += 7;
            } else {
                at = writeTlv(tlv, a, at, limit);
                if (at < 0) {
                    return false;
                }
            }
        }
        int blockLength = at - begin - ProxyHeaderDecoder.V2_FIXED_LENGTH;
        if (blockLength > 0xFFFF) {
            return false;
        }
        putShort(a, begin + 14, blockLength);
        out.position(at - base);
        if (crcAt >= 0) {
            out.putInt(crcAt - base, ProxyHeaderDecoder.crc32c(out, start, out.position(), crcAt - base));
        }
        return true;
    }

    /**
     * perf: writes a TLV at {@code at} if it fits before {@code limit}; returns the index after it,
     * or -1. The types balancers send are matched with instanceof, a class compare each: through
     * the interface, type() and value() are megamorphic calls as soon as a header mixes three TLV
     * types (JFR put most of encodeV2Inet's samples on them).
     */
    private static int writeTlv(Tlv tlv, byte[] a, int at, int limit) {
        int type;
        Bytes value;
        if (tlv instanceof Tlv.Alpn alpn) {
            type = Tlv.TYPE_ALPN;
            value = alpn.protocol();
        } else if (tlv instanceof Tlv.Authority authority) {
            type = Tlv.TYPE_AUTHORITY;
            value = authority.hostNameBytes();
        } else if (tlv instanceof Tlv.UniqueId uniqueId) {
            type = Tlv.TYPE_UNIQUE_ID;
            value = uniqueId.id();
        } else {
            type = tlv.type();
            value = tlv.value();
        }
        int length = value.length();
        if (length > Tlv.MAX_VALUE_LENGTH || limit - at < 3 + length) {
            return -1;
        }
        a[at] = (byte) type;
        putShort(a, at + 1, length);
        value.copyTo(a, at + 3);
        return at + 3 + length;
    }

    private static int putShort(byte[] a, int at, int value) {
        a[at] = (byte) (value >>> 8);
        a[at + 1] = (byte) value;
        return at + 2;
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
