package dev.proxyline.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict IP address literals, parsed from bytes or text without ever resolving a name, and
 * formatted as RFC 5952 prescribes.
 *
 * <p>IPv4 is four decimal octets with no leading zeros (the PROXY specification forbids them because
 * of octal confusion). IPv6 is groups of one to four hex digits in either case, at most one
 * {@code ::}, optionally ending in a dotted IPv4 part, 128 bits in all; zone ids and brackets are
 * refused. {@link InetAddress#getByName} accepts far more ({@code 1.2.3}, {@code 16909060}, names it
 * then looks up), which is why nothing here uses it.
 */
public final class InetLiterals {
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};

    private InetLiterals() {
    }

    /** Parses an IPv4 or IPv6 literal; empty if {@code text} is anything else. */
    public static Optional<InetAddress> parse(String text) {
        byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        if (text.indexOf(':') >= 0) {
            byte[] address = new byte[16];
            return parseIpv6(buffer, 0, raw.length, address) ? Optional.of(ipv6(address)) : Optional.empty();
        }
        long v4 = parseIpv4(buffer, 0, raw.length);
        return v4 < 0 ? Optional.empty() : Optional.of(ipv4((int) v4));
    }

    /** Parses a literal, or fails with a message that names {@code what}. */
    public static InetAddress parseOrThrow(String text, String what) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                what + " is not an IPv4 or IPv6 address literal: \"" + text + "\""));
    }

    /**
     * Parses the IPv4 literal in {@code [from, to)} of {@code in} (absolute indexes).
     *
     * @return the address as an unsigned 32-bit value, or -1 if the bytes are not a strict literal
     */
    static long parseIpv4(ByteBuffer in, int from, int to) {
        long value = 0;
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3 && isDigit(in.get(i))) {
                octet = octet * 10 + (in.get(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && in.get(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
            octets++;
            if (octets == 4) {
                return i == to ? value : -1;
            }
            if (i >= to || in.get(i) != '.') {
                return -1;
            }
            i++;
        }
    }

    /**
     * Parses the IPv6 literal in {@code [from, to)} of {@code in} into the 16 bytes of {@code out}.
     *
     * @return false if the bytes are not a literal as the class comment describes
     */
    static boolean parseIpv6(ByteBuffer in, int from, int to, byte[] out) {
        int groups = 0;          // 16-bit groups written so far
        int gapAt = -1;          // group index where "::" stands
        int i = from;
        if (to - from >= 2 && in.get(i) == ':' && in.get(i + 1) == ':') {
            gapAt = 0;
            i += 2;
            if (i == to) {
                java.util.Arrays.fill(out, (byte) 0);
                return true;
            }
        } else if (i < to && in.get(i) == ':') {
            return false;
        }
        while (i < to) {
            int start = i;
            int group = 0;
            while (i < to && i - start < 5 && hexValue(in.get(i)) >= 0) {
                group = (group << 4) | hexValue(in.get(i));
                i++;
            }
            if (i < to && in.get(i) == '.') {
                // A dotted IPv4 tail takes the last two groups.
                if (groups > 6 || i == start) {
                    return false;
                }
                long v4 = parseIpv4(in, start, to);
                if (v4 < 0) {
                    return false;
                }
                putGroup(out, groups++, (int) (v4 >>> 16));
                putGroup(out, groups++, (int) (v4 & 0xFFFF));
                i = to;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || groups == 8) {
                return false;
            }
            putGroup(out, groups++, group);
            if (i == to) {
                break;
            }
            if (in.get(i) != ':') {
                return false;
            }
            i++;
            if (i < to && in.get(i) == ':') {
                if (gapAt >= 0) {
                    return false;
                }
                gapAt = groups;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return false; // a single trailing colon
            }
        }
        if (gapAt < 0) {
            return groups == 8;
        }
        if (groups > 7) {
            return false; // "::" must stand for at least one group
        }
        int tail = groups - gapAt;
        int shift = 8 - groups;
        System.arraycopy(out, gapAt * 2, out, (gapAt + shift) * 2, tail * 2);
        java.util.Arrays.fill(out, gapAt * 2, (gapAt + shift) * 2, (byte) 0);
        return true;
    }

    private static void putGroup(byte[] out, int index, int group) {
        out[index * 2] = (byte) (group >>> 8);
        out[index * 2 + 1] = (byte) group;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** The address of these 4 or 16 bytes, keeping the family (see {@link #ipv6}). */
    static InetAddress of(byte[] address) {
        if (address.length == 16) {
            return ipv6(address);
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The IPv4 address of the unsigned 32-bit {@code value}. */
    static Inet4Address ipv4(int value) {
        byte[] raw = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * The IPv6 address of these 16 bytes, always an {@link Inet6Address}: unlike
     * {@link InetAddress#getByAddress(byte[])}, an IPv4-mapped address is not turned into IPv4.
     */
    static Inet6Address ipv6(byte[] address) {
        try {
            return Inet6Address.getByAddress(null, address, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** {@code address} as IPv6: itself, or for IPv4 its mapped form {@code ::ffff:a.b.c.d}. */
    public static Inet6Address toIpv6(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            return v6;
        }
        byte[] mapped = new byte[16];
        System.arraycopy(MAPPED_PREFIX, 0, mapped, 0, 12);
        System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
        return ipv6(mapped);
    }

    /**
     * The canonical text of {@code address}: dotted decimal for IPv4, RFC 5952 for IPv6 (lower
     * case, the longest run of two or more zero groups as {@code ::}, IPv4-mapped addresses as
     * {@code ::ffff:a.b.c.d}), never a scope id.
     */
    public static String format(InetAddress address) {
        byte[] raw = address.getAddress();
        return raw.length == 4 ? formatIpv4(raw, 0) : formatIpv6(raw);
    }

    private static String formatIpv4(byte[] raw, int offset) {
        return (raw[offset] & 0xFF) + "." + (raw[offset + 1] & 0xFF) + "." + (raw[offset + 2] & 0xFF) + "." + (raw[offset + 3] & 0xFF);
    }

    private static String formatIpv6(byte[] raw) {
        boolean mapped = true;
        for (int i = 0; i < 12; i++) {
            mapped &= raw[i] == MAPPED_PREFIX[i];
        }
        if (mapped) {
            return "::ffff:" + formatIpv4(raw, 12);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; ) {
            if (group(raw, g) != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && group(raw, g) == 0) {
                g++;
            }
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                text.append("::");
                g += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(group(raw, g)));
        }
        return text.toString();
    }

    private static int group(byte[] raw, int index) {
        return ((raw[index * 2] & 0xFF) << 8) | (raw[index * 2 + 1] & 0xFF);
    }
}
