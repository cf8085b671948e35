package dev.proxyline.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The {@code allow} and {@code deny} lines of one level, in their order, as nginx's access modules (http and stream)
 * apply them: the first rule that matches the client decides, and a client that no rule matches is let in. An IPv4
 * client meets the IPv4 rules, an IPv6 one the IPv6 rules (an IPv4-mapped IPv6 address counts as IPv4, as in nginx),
 * a client on a UNIX socket the {@code unix:} rules; {@code all} meets every client.
 */
public record AccessRules(List<Rule> rules) {
    /** No rule: everyone is let in. */
    public static final AccessRules NONE = new AccessRules(List.of());

    public AccessRules {
        rules = List.copyOf(rules);
    }

    /** One line: {@code allow} or {@code deny}, and whom it is about. */
    public record Rule(boolean allow, Clients clients) {
        public Rule {
            Objects.requireNonNull(clients, "clients");
        }
    }

    /** Whom a rule is about. */
    public sealed interface Clients permits Everyone, Block, UnixSockets {
        boolean match(SocketAddress client);
    }

    /** {@code all}. */
    public record Everyone() implements Clients {
        @Override
        public boolean match(SocketAddress client) {
            return true;
        }
    }

    /** An address or an address block. */
    public record Block(Cidr cidr) implements Clients {
        public Block {
            Objects.requireNonNull(cidr, "cidr");
        }

        @Override
        public boolean match(SocketAddress client) {
            return client instanceof InetSocketAddress inet && inet.getAddress() != null
                    && cidr.contains(unmapped(inet.getAddress()));
        }
    }

    /** {@code unix:}: clients of a UNIX-domain listen. */
    public record UnixSockets() implements Clients {
        @Override
        public boolean match(SocketAddress client) {
            return !(client instanceof InetSocketAddress);
        }
    }

    /** True when there is no rule to check, so that callers skip the check on their hot path. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code client} (the address after realip) is let in. */
    public boolean admits(SocketAddress client) {
        for (Rule rule : rules) {
            if (rule.clients().match(client)) return rule.allow();
        }
        return true;
    }

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    /** {@code ::ffff:a.b.c.d} as {@code a.b.c.d}: the JDK keeps some such addresses as IPv6 ones. */
    private static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet4Address) return address;
        byte[] bytes = address.getAddress();
        if (!Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) return address;
        return InetLiteral.of(Arrays.copyOfRange(bytes, 12, 16));
    }
}
