package dev.proxyline.config;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. A bare address is a single host.
 * Bits below the prefix are cleared, as nginx does (nginx also warns; proxyline has no warnings yet).
 */
public record Cidr(InetAddress network, int prefixLength) {
    public Cidr {
        Objects.requireNonNull(network, "network");
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0-" + max);
        }
        network = mask(network, prefixLength);
    }

    /** Parses {@code ADDR[/LEN]} from a literal; empty if it is not one. {@code all} means every address. */
    public static Optional<Cidr> parse(String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        Optional<InetAddress> a = InetLiteral.parse(addr);
        if (a.isEmpty()) return Optional.empty();
        int max = a.get().getAddress().length * 8;
        int len = max;
        if (slash >= 0) {
            String l = s.substring(slash + 1);
            if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit)) return Optional.empty();
            len = Integer.parseInt(l);
            if (len > max) return Optional.empty();
        }
        return Optional.of(new Cidr(a.get(), len));
    }

    public boolean contains(InetAddress address) {
        byte[] net = network.getAddress();
        byte[] a = address.getAddress();
        if (a.length != net.length) return false;
        return mask(address, prefixLength).equals(network);
    }

    private static InetAddress mask(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        return InetLiteral.of(b);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
