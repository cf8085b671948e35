package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.InetLiterals;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}, parsed from a
 * literal only (never a name). A network written in IPv4-mapped IPv6 form with a prefix of at least
 * 96 ({@code ::ffff:10.0.0.0/104}) is kept as the IPv4 network it denotes, so that it matches the
 * same peers however the socket reports them.
 *
 * @param network      the network address; its host bits are zero
 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range for "
                    + InetLiterals.format(network) + " (expected 0-" + bits + ")");
        }
        byte[] raw = network.getAddress();
        if (!sameNetwork(raw, raw, prefixLength, true)) {
            throw new IllegalArgumentException(InetLiterals.format(network) + "/" + prefixLength
                    + " has host bits set (expected the network address " + InetLiterals.format(masked(raw, prefixLength))
                    + "/" + prefixLength + ")");
        }
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x:y::/n}, or a single address (a /32 or /128).
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = InetLiterals.parse(addressText).orElseThrow(() -> new IllegalArgumentException(
                "\"" + text + "\" is not a CIDR (expected an IPv4 or IPv6 literal, optionally followed by /prefix)"));
        int bits = address.getAddress().length * 8;
        int prefix = slash < 0 ? bits : parsePrefix(text, text.substring(slash + 1), bits);
        if (address instanceof Inet6Address && prefix >= 96 && isMapped(address.getAddress())) {
            return new Cidr(toIpv4(address.getAddress()), prefix - 96);
        }
        return new Cidr(address, prefix);
    }

    private static int parsePrefix(String text, String prefix, int bits) {
        // Digits only, no sign, no leading zero: "/08" is as suspicious as an octet "08".
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
                || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
            throw new IllegalArgumentException("\"" + text + "\" has an invalid prefix length \"" + prefix
                    + "\" (expected 0-" + bits + ")");
        }
        int value = Integer.parseInt(prefix);
        if (value > bits) {
            throw new IllegalArgumentException("\"" + text + "\" has prefix length " + value + " (expected 0-" + bits + ")");
        }
        return value;
    }

    /** True when {@code address} is in this network; an IPv4-mapped IPv6 address counts as IPv4. */
    public boolean contains(InetAddress address) {
        byte[] raw = normalize(address).getAddress();
        byte[] net = network.getAddress();
        return raw.length == net.length && sameNetwork(net, raw, prefixLength, false);
    }

    /** True for an IPv4 network. */
    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    /**
     * {@code address} itself, or the IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
     * stands for: a dual-stack socket reports IPv4 clients that way.
     */
    public static InetAddress normalize(InetAddress address) {
        byte[] raw = address.getAddress();
        return address instanceof Inet6Address && isMapped(raw) ? toIpv4(raw) : address;
    }

    @Override
    public String toString() {
        return InetLiterals.format(network) + "/" + prefixLength;
    }

    /**
     * Compares the first {@code prefix} bits of {@code a} and {@code b}; with {@code hostBitsZero},
     * instead checks that the bits of {@code a} after the prefix are all zero.
     */
    private static boolean sameNetwork(byte[] a, byte[] b, int prefix, boolean hostBitsZero) {
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            int mask = (0xFF << (8 - keep)) & 0xFF;
            if (hostBitsZero ? (a[i] & ~mask & 0xFF) != 0 : (a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress masked(byte[] raw, int prefix) {
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return byAddress(out);
    }

    private static boolean isMapped(byte[] raw) {
        if (raw.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF;
    }

    private static InetAddress toIpv4(byte[] mapped) {
        return byAddress(new byte[] {mapped[12], mapped[13], mapped[14], mapped[15]});
    }

    private static InetAddress byAddress(byte[] raw) {
        try {
            // getByAddress never resolves; it only fails on a wrong length, which cannot happen here.
            return raw.length == 4 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
