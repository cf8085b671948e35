package dev.proxyline.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Decodes a PROXY protocol header, v1 or v2, from the bytes a connection has received so far.
 *
 * <p>The decoder is a pure function of those bytes: give it everything received since the
 * connection opened, after each read, and it answers {@link DecodeResult.Complete} (the header and
 * its length; the rest is application data), {@link DecodeResult.NeedMore}, or
 * {@link DecodeResult.Invalid}. However the bytes were split, the answer is the one a single read
 * would get, and an invalid prefix is refused as soon as it cannot become a valid header: after one
 * byte for most non-PROXY traffic, with a hint when it looks like HTTP or a TLS ClientHello. It
 * never reads past the header, never allocates per byte and never resolves a name.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ProxyHeaderDecoder {
    /** The longest v1 line, CRLF included. */
    public static final int V1_MAX_LENGTH = 107;
    /** The fixed part of a v2 header: signature, version/command, family/transport, length. */
    public static final int V2_FIXED_LENGTH = 16;
    /** The largest v2 header the protocol allows. */
    public static final int V2_MAX_LENGTH = V2_FIXED_LENGTH + 0xFFFF;
    /** The default cap on v2 headers: room for every TLV a real proxy sends, not for a memory attack. */
    public static final int DEFAULT_MAX_HEADER_LENGTH = 4096;

    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' '};
    private static final byte[] TCP4 = {'T', 'C', 'P', '4'};
    private static final byte[] TCP6 = {'T', 'C', 'P', '6'};
    private static final byte[] UNKNOWN = {'U', 'N', 'K', 'N', 'O', 'W', 'N'};
    private static final byte[][] PROTOCOLS = {TCP4, TCP6, UNKNOWN};
    private static final int IPV4_MAX_TEXT = 15;
    private static final int IPV6_MAX_TEXT = 45;
    private static final int PORT_MAX_TEXT = 5;
    private static final String[] HTTP_METHODS = {"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "CONNECT ", "OPTIONS ", "TRACE ", "PATCH ", "PRI "};

    private final int maxHeaderLength;

    /** A decoder that refuses v2 headers longer than {@value #DEFAULT_MAX_HEADER_LENGTH} bytes. */
    public ProxyHeaderDecoder() {
        this(DEFAULT_MAX_HEADER_LENGTH);
    }

    /**
     * A decoder that refuses v2 headers longer than {@code maxHeaderLength} bytes, fixed part
     * included; at least {@value #V1_MAX_LENGTH}, at most {@value #V2_MAX_LENGTH}.
     */
    public ProxyHeaderDecoder(int maxHeaderLength) {
        if (maxHeaderLength < V1_MAX_LENGTH || maxHeaderLength > V2_MAX_LENGTH) {
            throw new IllegalArgumentException("maximum header length must be " + V1_MAX_LENGTH + "-" + V2_MAX_LENGTH
                    + " bytes: " + maxHeaderLength);
        }
        this.maxHeaderLength = maxHeaderLength;
    }

    public int maxHeaderLength() {
        return maxHeaderLength;
    }

    /** Decodes the whole array. */
    public DecodeResult decode(byte[] received) {
        return decode(ByteBuffer.wrap(received));
    }

    /** Decodes {@code length} bytes of {@code received} from {@code offset}. */
    public DecodeResult decode(byte[] received, int offset, int length) {
        return decode(ByteBuffer.wrap(received, offset, length));
    }

    /**
     * Decodes the bytes between {@code received}'s position and limit, which it leaves unchanged;
     * offsets in results count from the position.
     */
    public DecodeResult decode(ByteBuffer received) {
        int length = received.remaining();
        if (length == 0) {
            return DecodeResult.needMore();
        }
        int base = received.position();
        byte first = received.get(base);
        if (first == V2_SIGNATURE[0]) {
            DecodeResult fast = decodeV2IpFast(received, base, length);
            return fast != null ? fast : decodeV2(new Input(received, base, length));
        }
        if (first == 'P') {
            // v1 looks at the first 107 bytes only: a line is never longer, and so the verdict cannot
            // depend on how much payload happened to arrive with the header.
            int v1Length = Math.min(length, V1_MAX_LENGTH);
            // perf: the fast path before an Input exists, which the JIT does not scalar-replace.
            DecodeResult fast = decodeV1Tcp4Fast(received, base, v1Length);
            return fast != null ? fast : decodeV1(new Input(received, base, v1Length));
        }
        return notProxy(new Input(received, base, length), 0);
    }

    // ------------------------------------------------------------------ detection

    /**
     * Refuses input whose byte {@code mismatchAt} rules out a header. The hint (HTTP, TLS) is chosen
     * from bytes 0 to {@code mismatchAt} only, the ones every delivery has when it is decided, so that
     * the reason does not depend on how the bytes were split.
     */
    private static DecodeResult notProxy(Input in, int mismatchAt) {
        int shown = Math.min(in.length, 16);
        String start = "not a PROXY protocol header: the connection starts with " + Text.quote(in, 0, shown)
                + (in.length > shown ? "…" : "");
        if (mismatchAt == 0 && in.at(0) == 0x16) {
            return new DecodeResult.Invalid(Reason.NOT_PROXY_TLS, 0, start
                    + ", which looks like a TLS ClientHello at offset 0 (expected \"PROXY \" or the v2 signature;"
                    + " is the balancer sending the PROXY protocol?)");
        }
        if (looksLikeHttp(in, mismatchAt + 1)) {
            return new DecodeResult.Invalid(Reason.NOT_PROXY_HTTP, 0, start
                    + ", which looks like an HTTP request at offset 0 (expected \"PROXY \" or the v2 signature;"
                    + " is the balancer sending the PROXY protocol?)");
        }
        return new DecodeResult.Invalid(Reason.NOT_PROXY, mismatchAt, start + "; the byte at offset " + mismatchAt
                + " does not match (expected \"PROXY \" or the v2 signature 0d0a0d0a000d0a515549540a)");
    }

    /** True when the first {@code decided} bytes are the start of an HTTP method (and a space). */
    private static boolean looksLikeHttp(Input in, int decided) {
        for (String method : HTTP_METHODS) {
            int n = Math.min(decided, method.length());
            boolean match = true;
            for (int i = 0; i < n && match; i++) {
                match = in.at(i) == method.charAt(i);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ v1

    private DecodeResult decodeV1(Input in) {
        DecodeResult result = decodeV1Line(in);
        // Still no CRLF within the 107 bytes a line may take (the input is capped there).
        return result instanceof DecodeResult.NeedMore && in.length >= V1_MAX_LENGTH ? tooLong(in) : result;
    }

    private DecodeResult decodeV1Line(Input in) {
        int prefix = Math.min(in.length, V1_PREFIX.length);
        for (int i = 1; i < prefix; i++) {
            if (in.at(i) != V1_PREFIX[i]) {
                if (i < 5) {
                    return notProxy(in, i);
                }
                return v1Invalid(in, Reason.V1_BAD_SYNTAX, i, "expected a single space after \"PROXY\"");
            }
        }
        if (in.length < V1_PREFIX.length) {
            return DecodeResult.needMore();
        }
        // The protocol token: TCP4, TCP6 or UNKNOWN, then a space (or, for UNKNOWN, the CR).
        int at = V1_PREFIX.length;
        int end = scanToken(in, at, UNKNOWN.length + 1);
        int scanned = (end < 0 ? Math.min(in.length, at + UNKNOWN.length + 1) : end) - at;
        byte[] protocol = matchProtocol(in, at, scanned);
        if (protocol == null) {
            return v1Invalid(in, Reason.V1_BAD_PROTOCOL, at, "expected TCP4, TCP6 or UNKNOWN");
        }
        if (end < 0) {
            return scanned > protocol.length
                    ? v1Invalid(in, Reason.V1_BAD_PROTOCOL, at, "expected TCP4, TCP6 or UNKNOWN")
                    : DecodeResult.needMore();
        }
        if (scanned != protocol.length) {
            return v1Invalid(in, Reason.V1_BAD_PROTOCOL, at, "expected TCP4, TCP6 or UNKNOWN");
        }
        if (protocol == UNKNOWN) {
            return decodeV1Unknown(in, end);
        }
        if (in.at(end) != ' ') {
            return v1Invalid(in, Reason.V1_BAD_SYNTAX, end, "expected a space and the source address after "
                    + (protocol == TCP4 ? "TCP4" : "TCP6"));
        }
        return decodeV1Inet(in, end + 1, protocol == TCP4 ? AddressFamily.INET : AddressFamily.INET6);
    }

    private static final byte[] V1_TCP4_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' ', 'T', 'C', 'P', '4', ' '};
    /** Big-endian views of byte arrays, whatever the platform's order (the wire is big-endian). */
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    /** The first 8 and the next 2 bytes of {@link #V1_TCP4_PREFIX}, big-endian. */
    private static final long PROXY_TC = (long) LONG_BE.get(V1_TCP4_PREFIX, 0);
    private static final short P4 = (short) SHORT_BE.get(V1_TCP4_PREFIX, 8);

    /**
     * perf: the common case, a complete and well-formed {@code PROXY TCP4} line, parsed in one pass
     * (the general path scans each field, then parses it again). Returns null for anything else,
     * partial or invalid input included, which the general path then answers; whatever this
     * accepts, the general path accepts with an equal result.
     *
     * <p>It reads a byte array: a heap buffer's own (plain array loads, no per-byte
     * {@code ByteBuffer.get} with its bounds and order handling), or a copy of the at most
     * {@value #V1_MAX_LENGTH} bytes of a direct one, which still costs less than the general path.
     */
    private static DecodeResult decodeV1Tcp4Fast(ByteBuffer b, int base, int length) {
        if (length < V1_TCP4_PREFIX.length) {
            return null;
        }
        byte[] a;
        int start;
        if (b.hasArray()) {
            a = b.array();
            start = b.arrayOffset() + base;
        } else {
            a = new byte[length];
            b.get(base, a);
            start = 0;
        }
        int end = start + length;
        // "PROXY TCP4 " in three loads instead of eleven.
        if ((long) LONG_BE.get(a, start) != PROXY_TC || (short) SHORT_BE.get(a, start + 8) != P4 || a[start + 10] != ' ') {
            return null;
        }
        long source = fastIpv4(a, start + V1_TCP4_PREFIX.length, end);
        if (source < 0) {
            return null;
        }
        long destination = fastIpv4(a, (int) (source >>> 32) + 1, end);
        if (destination < 0) {
            return null;
        }
        long sourcePort = fastPort(a, (int) (destination >>> 32) + 1, end, ' ');
        if (sourcePort < 0) {
            return null;
        }
        long destinationPort = fastPort(a, (int) (sourcePort >>> 32) + 1, end, '\r');
        if (destinationPort < 0) {
            return null;
        }
        int cr = (int) (destinationPort >>> 32);
        if (cr + 1 >= end || a[cr + 1] != '\n') {
            return null;
        }
        ProxyHeader header = new ProxyHeader(ProtocolVersion.V1, Command.PROXY, AddressFamily.INET, TransportProtocol.STREAM,
                new Endpoints.Inet(
                        new InetSocketAddress(InetLiterals.ipv4((int) source), (int) sourcePort),
                        new InetSocketAddress(InetLiterals.ipv4((int) destination), (int) destinationPort)),
                List.of(), Bytes.EMPTY);
        return new DecodeResult.Complete(header, cr + 2 - start);
    }

    /**
     * perf: the strict IPv4 literal at index {@code at} of {@code a} followed by a space, as
     * {@code (index of the space) << 32 | address}; -1 if it is not one. Each octet is read
     * unrolled, with one bounds check for its at most three digits and separator: in a complete
     * line at least four bytes follow the start of every octet, so only input that the general
     * path then answers fails that check.
     */
    private static long fastIpv4(byte[] a, int at, int end) {
        int address = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (end - at < 4) {
                return -1;
            }
            int value = a[at] - '0';
            if (!isDigit(value)) {
                return -1;
            }
            int digit = a[++at] - '0';
            if (isDigit(digit)) {
                if (value == 0) {
                    return -1; // a leading zero
                }
                value = value * 10 + digit;
                digit = a[++at] - '0';
                if (isDigit(digit)) {
                    value = value * 10 + digit;
                    at++;
                    if (value > 255) {
                        return -1;
                    }
                }
            }
            // A fourth digit fails here too.
            if (a[at] != (octet == 3 ? ' ' : '.')) {
                return -1;
            }
            address = address << 8 | value;
            at++;
        }
        return (long) (at - 1) << 32 | (address & 0xFFFF_FFFFL);
    }

    /** True for the value of an ASCII digit minus {@code '0'}. */
    private static boolean isDigit(int value) {
        return value >= 0 && value <= 9;
    }

    /**
     * perf: the port at index {@code at} of {@code a} ("0" or 1-65535 without leading zeros) followed
     * by {@code terminator}, as {@code (index of the terminator) << 32 | port}; -1 if it is not one.
     */
    private static long fastPort(byte[] a, int at, int end, char terminator) {
        int start = at;
        int value = 0;
        while (at < end && at - start < 6) {
            byte c = a[at];
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            at++;
        }
        int digits = at - start;
        if (digits == 0 || digits > 5 || value > 0xFFFF || (digits > 1 && a[start] == '0')
                || at >= end || a[at] != terminator) {
            return -1;
        }
        return (long) at << 32 | value;
    }

    /** The candidate protocol the {@code length} bytes at {@code at} are a prefix of, or null. */
    private static byte[] matchProtocol(Input in, int at, int length) {
        for (byte[] candidate : PROTOCOLS) {
            int n = Math.min(length, candidate.length);
            boolean match = true;
            for (int i = 0; i < n && match; i++) {
                match = in.at(at + i) == candidate[i];
            }
            if (match && (length <= candidate.length)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code PROXY UNKNOWN}: whatever stands before the CRLF is ignored, arbitrary bytes included. */
    private static DecodeResult decodeV1Unknown(Input in, int end) {
        if (in.at(end) == '\n') {
            return v1Invalid(in, Reason.V1_BAD_LINE_END, end, "expected CRLF, got a bare LF");
        }
        if (in.at(end) != ' ' && in.at(end) != '\r') {
            return v1Invalid(in, Reason.V1_BAD_SYNTAX, end, "expected a space or CRLF after UNKNOWN");
        }
        int limit = Math.min(in.length, V1_MAX_LENGTH);
        for (int i = end; i < limit; i++) {
            byte b = in.at(i);
            if (b == '\n') {
                return v1Invalid(in, Reason.V1_BAD_LINE_END, i, "expected CRLF, got a bare LF");
            }
            if (b == '\r') {
                DecodeResult lineEnd = lineEnd(in, i);
                if (lineEnd != null) {
                    return lineEnd;
                }
                return new DecodeResult.Complete(ProxyHeader.unknown(ProtocolVersion.V1, List.of()), i + 2);
            }
        }
        return in.length >= V1_MAX_LENGTH ? tooLong(in) : DecodeResult.needMore();
    }

    /**
     * The fields of a TCP4/TCP6 line, each checked in line order as soon as it has arrived, and a
     * field still arriving checked as a prefix: the line is refused as soon as it cannot become
     * valid, and for the same reason at the same offset however it was split. Every error inside a
     * field is reported at the field's start.
     */
    private DecodeResult decodeV1Inet(Input in, int at, AddressFamily family) {
        boolean v4 = family == AddressFamily.INET;
        // Parsed as each field ends rather than once the line is complete; on a single read the work
        // and the allocations are the same, and a bad address is refused before the rest arrives.
        byte[] src = new byte[v4 ? 4 : 16];
        int srcEnd = addressField(in, at, src);
        if (srcEnd < 0) {
            return srcEnd == NEED_MORE ? DecodeResult.needMore() : badAddress(in, at, v4);
        }
        int dstStart = srcEnd + 1;
        byte[] dst = new byte[src.length];
        int dstEnd = addressField(in, dstStart, dst);
        if (dstEnd < 0) {
            return dstEnd == NEED_MORE ? DecodeResult.needMore() : badAddress(in, dstStart, v4);
        }

        int sportStart = dstEnd + 1;
        int sportEnd = scanField(in, sportStart, PORT_MAX_TEXT, Field.PORT);
        if (sportEnd == BAD_FIELD || sportEnd == NEED_MORE && parsePort(in, sportStart, in.length) < 0) {
            return badPort(in, sportStart);
        }
        if (sportEnd == NEED_MORE) {
            return DecodeResult.needMore();
        }
        int sourcePort = parsePort(in, sportStart, sportEnd);
        if (sourcePort < 0) {
            return badPort(in, sportStart);
        }

        int dportStart = sportEnd + 1;
        int dportEnd = scanField(in, dportStart, PORT_MAX_TEXT, Field.LAST_PORT);
        if (dportEnd == BAD_FIELD) {
            return badLastPort(in, dportStart);
        }
        if (dportEnd == NEED_MORE) {
            return parsePort(in, dportStart, in.length) < 0 ? badPort(in, dportStart) : DecodeResult.needMore();
        }
        int destinationPort = parsePort(in, dportStart, dportEnd);
        if (destinationPort < 0) {
            return badPort(in, dportStart);
        }
        DecodeResult lineEnd = lineEnd(in, dportEnd);
        if (lineEnd != null) {
            return lineEnd;
        }

        InetSocketAddress source = new InetSocketAddress(InetLiterals.of(src), sourcePort);
        InetSocketAddress destination = new InetSocketAddress(InetLiterals.of(dst), destinationPort);
        ProxyHeader header = new ProxyHeader(ProtocolVersion.V1, Command.PROXY, family, TransportProtocol.STREAM,
                new Endpoints.Inet(source, destination), List.of(), Bytes.EMPTY);
        return new DecodeResult.Complete(header, dportEnd + 2);
    }

    /**
     * Scans the address field at {@code at} and parses it into {@code address}, whose length (4 or
     * 16) says the family: the index of the space after it, {@link #NEED_MORE} while a valid prefix
     * is still arriving, or {@link #BAD_FIELD}.
     */
    private static int addressField(Input in, int at, byte[] address) {
        boolean v4 = address.length == 4;
        int end = scanField(in, at, v4 ? IPV4_MAX_TEXT : IPV6_MAX_TEXT, v4 ? Field.IPV4 : Field.IPV6);
        if (end == NEED_MORE) {
            return addressPrefixOk(in, at, v4) ? NEED_MORE : BAD_FIELD;
        }
        if (end == BAD_FIELD) {
            return BAD_FIELD;
        }
        int from = in.base + at;
        int to = in.base + end;
        if (v4) {
            long value = InetLiterals.parseIpv4(in.buffer, from, to);
            if (value < 0) {
                return BAD_FIELD;
            }
            for (int i = 0; i < 4; i++) {
                address[i] = (byte) (value >>> (24 - 8 * i));
            }
            return end;
        }
        return InetLiterals.parseIpv6(in.buffer, from, to, address) ? end : BAD_FIELD;
    }

    private static DecodeResult badAddress(Input in, int at, boolean v4) {
        return v1Invalid(in, Reason.V1_BAD_ADDRESS, at, v4
                ? "expected an IPv4 address: four decimal octets 0-255 without leading zeros"
                : "expected an IPv6 address: hex groups with at most one \"::\"");
    }

    /**
     * False when the address field that starts at {@code at} and runs to the end of the input can
     * no longer become a valid literal. Conservative for IPv6: it only rules out what no literal
     * contains (five hex digits in a row, ":::", a second "::", a lone leading colon, a colon after
     * a dot); the full check follows when the field ends.
     */
    private static boolean addressPrefixOk(Input in, int at, boolean v4) {
        if (v4) {
            int octets = 1;
            int digits = 0;
            int value = 0;
            for (int i = at; i < in.length; i++) {
                byte b = in.at(i);
                if (b == '.') {
                    if (digits == 0 || ++octets > 4) {
                        return false;
                    }
                    digits = 0;
                    value = 0;
                } else {
                    if (digits == 1 && value == 0) {
                        return false; // a leading zero
                    }
                    value = value * 10 + (b - '0');
                    if (++digits > 3 || value > 255) {
                        return false;
                    }
                }
            }
            return true;
        }
        int run = 0;             // hex digits since the last separator
        boolean gap = false;     // "::" seen
        boolean dotted = false;  // inside the dotted IPv4 tail
        for (int i = at; i < in.length; i++) {
            byte b = in.at(i);
            if (b == ':') {
                if (dotted) {
                    return false;
                }
                if (i > at && in.at(i - 1) == ':') {
                    if (gap || i - 2 >= at && in.at(i - 2) == ':') {
                        return false;
                    }
                    gap = true;
                }
                run = 0;
            } else if (b == '.') {
                dotted = true;
                run = 0;
            } else if (++run > 4) {
                return false;
            }
            if (i == at + 1 && in.at(at) == ':' && b != ':') {
                return false; // a single leading colon
            }
        }
        return true;
    }

    private static final int NEED_MORE = -1;
    private static final int BAD_FIELD = -2;

    /** What may appear in a v1 field, and what must end it. */
    private enum Field { IPV4, IPV6, PORT, LAST_PORT }

    /**
     * Finds the end of the field starting at {@code at}: the index of the space that follows it
     * (of the CR, for the last port). Returns {@link #NEED_MORE} when the input ends first, or
     * {@link #BAD_FIELD} when a byte cannot belong to the field, the field is empty or too long,
     * or it ends with the wrong separator.
     */
    private static int scanField(Input in, int at, int maxLength, Field field) {
        int limit = Math.min(in.length, at + maxLength + 1);
        for (int i = at; i < limit; i++) {
            byte b = in.at(i);
            boolean allowed = switch (field) {
                case IPV4 -> (b >= '0' && b <= '9') || b == '.';
                case IPV6 -> (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F') || b == ':' || b == '.';
                case PORT, LAST_PORT -> b >= '0' && b <= '9';
            };
            if (allowed) {
                continue;
            }
            byte terminator = field == Field.LAST_PORT ? (byte) '\r' : (byte) ' ';
            return i > at && b == terminator ? i : BAD_FIELD;
        }
        return limit - at > maxLength ? BAD_FIELD : NEED_MORE;
    }

    /** Null when a CRLF starts at {@code cr}; otherwise need-more or the reason it is not one. */
    private static DecodeResult lineEnd(Input in, int cr) {
        if (in.length <= cr + 1) {
            return DecodeResult.needMore();
        }
        if (in.at(cr + 1) != '\n') {
            return v1Invalid(in, Reason.V1_BAD_LINE_END, cr + 1, "expected LF after CR");
        }
        return null;
    }

    /** The port in {@code [from, to)}: "0" or 1-65535 without leading zeros; -1 otherwise. */
    private static int parsePort(Input in, int from, int to) {
        if (to - from > PORT_MAX_TEXT || to - from > 1 && in.at(from) == '0') {
            return -1;
        }
        int port = 0;
        for (int i = from; i < to; i++) {
            port = port * 10 + (in.at(i) - '0');
        }
        return port <= 0xFFFF ? port : -1;
    }

    /** Why the destination port field starting at {@code at} does not end in CR: a wrong line end or a bad port. */
    private static DecodeResult badLastPort(Input in, int at) {
        int i = at;
        while (i < in.length && i - at <= PORT_MAX_TEXT && in.at(i) >= '0' && in.at(i) <= '9') {
            i++;
        }
        if (i > at && i - at <= PORT_MAX_TEXT && i < in.length && parsePort(in, at, i) >= 0) {
            if (in.at(i) == '\n') {
                return v1Invalid(in, Reason.V1_BAD_LINE_END, i, "expected CRLF after the destination port, got a bare LF");
            }
            if (in.at(i) == ' ') {
                return v1Invalid(in, Reason.V1_BAD_SYNTAX, i, "expected CRLF right after the destination port");
            }
        }
        return badPort(in, at);
    }

    private static DecodeResult badPort(Input in, int at) {
        return v1Invalid(in, Reason.V1_BAD_PORT, at, "expected a port 0-65535 without leading zeros or sign");
    }

    private static DecodeResult tooLong(Input in) {
        return new DecodeResult.Invalid(Reason.V1_TOO_LONG, V1_MAX_LENGTH, "invalid v1 header: no CRLF in the first "
                + V1_MAX_LENGTH + " bytes " + Text.quote(in, 0, V1_MAX_LENGTH) + " at offset " + V1_MAX_LENGTH + " (a v1 line is at most 107 bytes, CRLF included)");
    }

    /** Returns {@code index} of the first space or CR at or after {@code at}, within {@code max} bytes; -1 if none yet. */
    private static int scanToken(Input in, int at, int max) {
        int limit = Math.min(in.length, at + max);
        for (int i = at; i < limit; i++) {
            byte b = in.at(i);
            if (b == ' ' || b == '\r' || b == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static DecodeResult v1Invalid(Input in, Reason reason, int at, String expected) {
        int end = at;
        int limit = Math.min(in.length, V1_MAX_LENGTH);
        while (end < limit && in.at(end) != ' ' && in.at(end) != '\r' && in.at(end) != '\n') {
            end++;
        }
        String shown = end > at ? Text.quote(in, at, end) : (at < in.length ? Text.quote(in, at, at + 1) : "end of input");
        return new DecodeResult.Invalid(reason, at, reason.summary() + ": " + shown + " at offset " + at + " (" + expected + ")");
    }

    // ------------------------------------------------------------------ v2

    private DecodeResult decodeV2(Input in) {
        int signature = Math.min(in.length, V2_SIGNATURE.length);
        for (int i = 1; i < signature; i++) {
            if (in.at(i) != V2_SIGNATURE[i]) {
                return notProxy(in, i);
            }
        }
        if (in.length <= 12) {
            return DecodeResult.needMore();
        }
        int versionCommand = in.unsigned(12);
        if (versionCommand >>> 4 != 2) {
            return v2Invalid(in, Reason.V2_BAD_VERSION, 12, "version " + (versionCommand >>> 4) + " (expected 2)");
        }
        int commandCode = versionCommand & 0x0F;
        if (commandCode > 1) {
            return v2Invalid(in, Reason.V2_BAD_COMMAND, 12, "command " + commandCode + " (expected 0 LOCAL or 1 PROXY)");
        }
        Command command = commandCode == 0 ? Command.LOCAL : Command.PROXY;
        if (in.length <= 13) {
            return DecodeResult.needMore();
        }
        int familyTransport = in.unsigned(13);
        AddressFamily family = familyOf(familyTransport >>> 4);
        TransportProtocol transport = transportOf(familyTransport & 0x0F);
        if (family == null || transport == null
                || (family == AddressFamily.UNSPEC) != (transport == TransportProtocol.UNSPEC)) {
            return v2Invalid(in, Reason.V2_BAD_FAMILY, 13, "family/transport byte 0x" + TlvParser.hex(familyTransport)
                    + " (expected one of 00, 11, 12, 21, 22, 31, 32)");
        }
        if (in.length < V2_FIXED_LENGTH) {
            return DecodeResult.needMore();
        }
        int blockLength = in.unsignedShort(14);
        int total = V2_FIXED_LENGTH + blockLength;
        if (total > maxHeaderLength) {
            return v2Invalid(in, Reason.V2_TOO_LONG, 14, "length " + blockLength + " makes a " + total
                    + "-byte header (expected at most " + maxHeaderLength + " bytes)");
        }
        int addressLength = family.addressBlockLength();
        // Decided from the fixed part alone, so refused before the rest arrives.
        if (command == Command.PROXY && blockLength < addressLength) {
            return v2Invalid(in, Reason.V2_BAD_LENGTH, 14, "length " + blockLength + " is too short for the "
                    + family + " addresses (expected at least " + addressLength + ")");
        }
        if (in.length < total) {
            return DecodeResult.needMore();
        }
        boolean addressesPresent = blockLength >= addressLength;
        Endpoints endpoints = command == Command.PROXY ? endpoints(in, family) : Endpoints.Unspecified.INSTANCE;
        // A LOCAL or UNSPEC block only has to be TLVs if it parses as TLVs; otherwise it is opaque.
        boolean strict = command == Command.PROXY && family != AddressFamily.UNSPEC;
        int tlvStart = V2_FIXED_LENGTH + (addressesPresent ? addressLength : 0);
        // perf: one walk checks the structure and counts the TLVs, which parseTlvs then needs no second walk for.
        int tlvCount = addressesPresent ? tlvCount(in, tlvStart, total) : -1;
        if (tlvCount < 0) {
            if (strict) {
                return tlvStructureError(in, tlvStart, total);
            }
            ProxyHeader header = new ProxyHeader(ProtocolVersion.V2, command, family, transport, endpoints, List.of(),
                    Bytes.copyOf(in.buffer, in.base + V2_FIXED_LENGTH, blockLength));
            return new DecodeResult.Complete(header, total);
        }
        Object tlvs = parseTlvs(in, tlvStart, total, tlvCount);
        if (tlvs instanceof DecodeResult.Invalid invalid) {
            return invalid;
        }
        @SuppressWarnings("unchecked")
        List<Tlv> list = (List<Tlv>) tlvs;
        return new DecodeResult.Complete(
                new ProxyHeader(ProtocolVersion.V2, command, family, transport, endpoints, list, Bytes.EMPTY), total);
    }

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** The first 8 and the last 4 bytes of {@link #V2_SIGNATURE}, big-endian. */
    private static final long V2_SIGNATURE_HEAD = (long) LONG_BE.get(V2_SIGNATURE, 0);
    private static final int V2_SIGNATURE_TAIL = (int) INT_BE.get(V2_SIGNATURE, 8);

    /**
     * perf: the common v2 case, a complete {@code PROXY} header over TCP4 or TCP6 with at most
     * three TLVs in a heap buffer, decoded straight from the array and without an {@link Input}
     * (which the JIT does not scalar-replace, since it is passed to methods too big to inline).
     * Returns null for anything else, partial, unusual or invalid input included (a TLV the parser
     * refuses, a second CRC32C, a checksum mismatch), which {@link #decodeV2} then answers; whatever
     * this accepts, decodeV2 accepts with an equal result.
     */
    private DecodeResult decodeV2IpFast(ByteBuffer b, int base, int length) {
        if (!b.hasArray() || length < V2_FIXED_LENGTH) {
            return null;
        }
        byte[] a = b.array();
        int start = b.arrayOffset() + base;
        if ((long) LONG_BE.get(a, start) != V2_SIGNATURE_HEAD || (int) INT_BE.get(a, start + 8) != V2_SIGNATURE_TAIL
                || a[start + 12] != 0x21) { // version 2, PROXY
            return null;
        }
        AddressFamily family;
        if (a[start + 13] == 0x11) {
            family = AddressFamily.INET;
        } else if (a[start + 13] == 0x21) {
            family = AddressFamily.INET6;
        } else {
            return null;
        }
        int total = V2_FIXED_LENGTH + ((short) SHORT_BE.get(a, start + 14) & 0xFFFF);
        int addressLength = family.addressBlockLength();
        if (total > maxHeaderLength || total > length || total < V2_FIXED_LENGTH + addressLength) {
            return null;
        }
        int at = start + V2_FIXED_LENGTH;
        Endpoints endpoints;
        if (family == AddressFamily.INET) {
            endpoints = new Endpoints.Inet(
                    new InetSocketAddress(InetLiterals.ipv4((int) INT_BE.get(a, at)), (short) SHORT_BE.get(a, at + 8) & 0xFFFF),
                    new InetSocketAddress(InetLiterals.ipv4((int) INT_BE.get(a, at + 4)), (short) SHORT_BE.get(a, at + 10) & 0xFFFF));
        } else {
            endpoints = new Endpoints.Inet(
                    new InetSocketAddress(InetLiterals.ipv6(Arrays.copyOfRange(a, at, at + 16)), (short) SHORT_BE.get(a, at + 32) & 0xFFFF),
                    new InetSocketAddress(InetLiterals.ipv6(Arrays.copyOfRange(a, at + 16, at + 32)), (short) SHORT_BE.get(a, at + 34) & 0xFFFF));
        }
        // The TLVs: at most three, kept in locals for the fixed-arity List.of.
        int end = start + total;
        at += addressLength;
        Tlv first = null;
        Tlv second = null;
        Tlv third = null;
        int count = 0;
        int crcAt = -1;
        while (at < end) {
            if (count == 3 || end - at < 3) {
                return null;
            }
            int type = a[at] & 0xFF;
            int valueLength = (short) SHORT_BE.get(a, at + 1) & 0xFFFF;
            if (valueLength > end - at - 3) {
                return null;
            }
            if (type == Tlv.TYPE_CRC32C) {
                if (crcAt >= 0) {
                    return null;
                }
                crcAt = at + 3;
            }
            // TlvParser takes indexes into the buffer, not the array.
            Object parsed = TlvParser.parse(type, b, at + 3 - b.arrayOffset(), valueLength, at - start);
            if (!(parsed instanceof Tlv tlv)) {
                return null;
            }
            if (count == 0) {
                first = tlv;
            } else if (count == 1) {
                second = tlv;
            } else {
                third = tlv;
            }
            count++;
            at += 3 + valueLength;
        }
        if (crcAt >= 0 && (int) INT_BE.get(a, crcAt) != crc32c(b, base, base + total, crcAt - b.arrayOffset())) {
            return null;
        }
        List<Tlv> tlvs = switch (count) {
            case 0 -> List.of();
            case 1 -> List.of(first);
            case 2 -> List.of(first, second);
            default -> List.of(first, second, third);
        };
        return new DecodeResult.Complete(new ProxyHeader(ProtocolVersion.V2, Command.PROXY, family,
                TransportProtocol.STREAM, endpoints, tlvs, Bytes.EMPTY), total);
    }

    private static AddressFamily familyOf(int code) {
        return switch (code) {
            case 0 -> AddressFamily.UNSPEC;
            case 1 -> AddressFamily.INET;
            case 2 -> AddressFamily.INET6;
            case 3 -> AddressFamily.UNIX;
            default -> null;
        };
    }

    private static TransportProtocol transportOf(int code) {
        return switch (code) {
            case 0 -> TransportProtocol.UNSPEC;
            case 1 -> TransportProtocol.STREAM;
            case 2 -> TransportProtocol.DGRAM;
            default -> null;
        };
    }

    private static Endpoints endpoints(Input in, AddressFamily family) {
        int at = in.base + V2_FIXED_LENGTH;
        ByteBuffer b = in.buffer;
        switch (family) {
            case INET:
                return new Endpoints.Inet(
                        new InetSocketAddress(InetLiterals.ipv4(in.int32(16)), in.unsignedShort(24)),
                        new InetSocketAddress(InetLiterals.ipv4(in.int32(20)), in.unsignedShort(26)));
            case INET6: {
                byte[] src = new byte[16];
                byte[] dst = new byte[16];
                b.get(at, src);
                b.get(at + 16, dst);
                return new Endpoints.Inet(
                        new InetSocketAddress(InetLiterals.ipv6(src), uint16(b, at + 32)),
                        new InetSocketAddress(InetLiterals.ipv6(dst), uint16(b, at + 34)));
            }
            case UNIX:
                return new Endpoints.Unix(unixPath(b, at), unixPath(b, at + Endpoints.Unix.MAX_PATH_LENGTH));
            default:
                return Endpoints.Unspecified.INSTANCE;
        }
    }

    /** The path in a 108-byte {@code sun_path} field: the bytes before the first NUL. */
    private static Bytes unixPath(ByteBuffer b, int at) {
        int length = 0;
        while (length < Endpoints.Unix.MAX_PATH_LENGTH && b.get(at + length) != 0) {
            length++;
        }
        return Bytes.copyOf(b, at, length);
    }

    /** The number of top-level TLVs in {@code [from, to)}, or -1 if it is not a whole number of them. */
    private static int tlvCount(Input in, int from, int to) {
        int at = from;
        int count = 0;
        while (to - at >= 3) {
            at += 3 + in.unsignedShort(at + 1);
            count++;
        }
        return at == to ? count : -1;
    }

    private static DecodeResult tlvStructureError(Input in, int from, int to) {
        int at = from;
        while (to - at >= 3) {
            int length = in.unsignedShort(at + 1);
            if (length > to - at - 3) {
                return v2Invalid(in, Reason.TLV_MALFORMED, at, "TLV 0x" + TlvParser.hex(in.unsigned(at)) + " of length "
                        + length + " runs past the header (" + (to - at - 3) + " bytes left)");
            }
            at += 3 + length;
        }
        return v2Invalid(in, Reason.TLV_MALFORMED, at, (to - at) + " stray byte(s) after the last TLV"
                + " (expected a 3-byte type and length, or the end of the header)");
    }

    /** The {@code count} TLVs of a structurally sound area, or why one of them is invalid. */
    private static Object parseTlvs(Input in, int from, int to, int count) {
        if (count == 0) {
            return List.of();
        }
        // perf: up to three TLVs (what balancers send) are kept in locals for the fixed-arity List.of,
        // whose array is then the only one; more go through an exact-size array. Not an ArrayList,
        // which ProxyHeader's List.copyOf would copy twice (toArray, then List.of).
        Tlv first = null;
        Tlv second = null;
        Tlv third = null;
        Tlv[] tlvs = count > 3 ? new Tlv[count] : null;
        int index = 0;
        int crcAt = -1;
        int at = from;
        while (at < to) {
            int type = in.unsigned(at);
            int length = in.unsignedShort(at + 1);
            Object parsed = TlvParser.parse(type, in.buffer, in.base + at + 3, length, at);
            if (parsed instanceof DecodeResult.Invalid invalid) {
                return invalid;
            }
            if (type == Tlv.TYPE_CRC32C) {
                if (crcAt >= 0) {
                    return v2Invalid(in, Reason.TLV_BAD_VALUE, at, "a second CRC32C TLV (expected at most one)");
                }
                crcAt = at + 3;
            }
            Tlv tlv = (Tlv) parsed;
            if (tlvs != null) {
                tlvs[index] = tlv;
            } else if (index == 0) {
                first = tlv;
            } else if (index == 1) {
                second = tlv;
            } else {
                third = tlv;
            }
            index++;
            at += 3 + length;
        }
        if (crcAt >= 0) {
            int expected = in.int32(crcAt);
            // Absolute indexes: the input need not start at index 0 of its buffer.
            int actual = crc32c(in.buffer, in.base, in.base + to, in.base + crcAt);
            if (expected != actual) {
                return new DecodeResult.Invalid(Reason.CRC32C_MISMATCH, crcAt, String.format(
                        "v2 CRC32C mismatch: the header carries %08x at offset %d, its bytes give %08x", expected, crcAt, actual));
            }
        }
        return switch (count) {
            case 1 -> List.of(first);
            case 2 -> List.of(first, second);
            case 3 -> List.of(first, second, third);
            default -> immutableList(tlvs);
        };
    }

    /**
     * perf: {@code tlvs} as an immutable list that {@link ProxyHeader}'s {@code List.copyOf} keeps
     * as it is. The fixed-arity {@code List.of} overloads (JDK 16+) wrap the array built at the call
     * site, where {@code List.of(E...)} makes one more copy.
     */
    private static List<Tlv> immutableList(Tlv[] tlvs) {
        return switch (tlvs.length) {
            case 4 -> List.of(tlvs[0], tlvs[1], tlvs[2], tlvs[3]);
            case 5 -> List.of(tlvs[0], tlvs[1], tlvs[2], tlvs[3], tlvs[4]);
            default -> List.of(tlvs);
        };
    }

    /** CRC-32C of {@code [from, to)} (absolute indexes) with the 4 bytes at {@code zeroedAt} counted as zeros. */
    static int crc32c(ByteBuffer b, int from, int to, int zeroedAt) {
        CRC32C crc = new CRC32C();
        if (b.hasArray()) {
            // perf: straight from the backing array, with no duplicate() to move a position and limit on;
            // the same bounds as the buffer path (within the limit), which get(index) checks there.
            Objects.checkFromToIndex(from, zeroedAt, b.limit());
            Objects.checkFromToIndex(zeroedAt + 4, to, b.limit());
            byte[] a = b.array();
            int offset = b.arrayOffset();
            crc.update(a, offset + from, zeroedAt - from);
            crc.update(ZEROS, 0, 4);
            crc.update(a, offset + zeroedAt + 4, to - zeroedAt - 4);
            return (int) crc.getValue();
        }
        ByteBuffer view = b.duplicate();
        view.limit(zeroedAt).position(from);
        crc.update(view);
        crc.update(ZEROS, 0, 4);
        view.limit(to).position(zeroedAt + 4);
        crc.update(view);
        return (int) crc.getValue();
    }

    private static final byte[] ZEROS = new byte[4];

    private static DecodeResult v2Invalid(Input in, Reason reason, int at, String problem) {
        int shown = Math.min(in.length - at, 8);
        return new DecodeResult.Invalid(reason, at, reason.summary() + ": " + problem + " at offset " + at
                + " (bytes " + Text.hex(in, at, at + Math.max(shown, 0)) + ")");
    }

    // ------------------------------------------------------------------ input

    /**
     * The received bytes: absolute index {@code base} is offset 0; nothing at or past {@code length}
     * is read.
     *
     * <p>perf: a heap buffer is read through its array (a plain load per byte instead of
     * {@code ByteBuffer.get} with its limit check and index arithmetic); {@code array} is null for
     * other buffers.
     */
    static final class Input {
        final ByteBuffer buffer;
        final int base;
        final int length;
        private final byte[] array;
        private final int arrayBase;

        Input(ByteBuffer buffer, int base, int length) {
            this.buffer = buffer;
            this.base = base;
            this.length = length;
            this.array = buffer.hasArray() ? buffer.array() : null;
            this.arrayBase = array != null ? buffer.arrayOffset() + base : 0;
        }

        byte at(int offset) {
            return array != null ? array[arrayBase + offset] : buffer.get(base + offset);
        }

        int unsigned(int offset) {
            return at(offset) & 0xFF;
        }

        int unsignedShort(int offset) {
            return (at(offset) & 0xFF) << 8 | (at(offset + 1) & 0xFF);
        }

        int int32(int offset) {
            return (at(offset) & 0xFF) << 24 | (at(offset + 1) & 0xFF) << 16
                    | (at(offset + 2) & 0xFF) << 8 | (at(offset + 3) & 0xFF);
        }
    }

    // The caller's buffer may be little-endian; the wire is big-endian whatever its order says.

    /** The unsigned big-endian 16-bit value at absolute {@code index}. */
    static int uint16(ByteBuffer b, int index) {
        return (b.get(index) & 0xFF) << 8 | (b.get(index + 1) & 0xFF);
    }

    /** The big-endian 32-bit value at absolute {@code index}. */
    static int int32(ByteBuffer b, int index) {
        return (b.get(index) & 0xFF) << 24 | (b.get(index + 1) & 0xFF) << 16
                | (b.get(index + 2) & 0xFF) << 8 | (b.get(index + 3) & 0xFF);
    }

    /** How offending bytes are shown in messages. */
    static final class Text {
        private Text() {
        }

        /** Printable ASCII as is, CR, LF and tab escaped, anything else as {@code \xNN}; in double quotes. */
        static String quote(Input in, int from, int to) {
            StringBuilder out = new StringBuilder(to - from + 2).append('"');
            for (int i = from; i < to && i < in.length; i++) {
                int b = in.unsigned(i);
                switch (b) {
                    case '\r' -> out.append("\\r");
                    case '\n' -> out.append("\\n");
                    case '\t' -> out.append("\\t");
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (b >= 0x20 && b < 0x7F) {
                            out.append((char) b);
                        } else {
                            out.append(String.format("\\x%02x", b));
                        }
                    }
                }
            }
            return out.append('"').toString();
        }

        static String hex(Input in, int from, int to) {
            StringBuilder out = new StringBuilder((to - from) * 2);
            for (int i = from; i < to && i < in.length; i++) {
                out.append(String.format("%02x", in.unsigned(i)));
            }
            return out.toString();
        }
    }
}
