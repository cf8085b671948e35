package dev.proxyline.protocol.netty;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which {@link HeaderPolicy} applies to a connection, by the source address of its socket: the rule
 * with the longest matching prefix wins, and sources no rule matches get the default, which is
 * {@link HeaderPolicy#REJECT} unless configured otherwise (deny by default at the trust boundary). Clients of a
 * UNIX-domain socket, which have no address, get a policy of their own, by default that same one.
 *
 * <p>Immutable; built with {@link #builder()}.
 */
public final class TrustPolicy {

    /** One rule: the sources of {@code network} get {@code policy}. */
    public record Rule(Cidr network, HeaderPolicy policy) {
        public Rule {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(policy, "policy");
        }
    }

    private final List<Rule> rules;
    private final HeaderPolicy otherwise;
    private final HeaderPolicy unixSockets;

    private TrustPolicy(List<Rule> rules, HeaderPolicy otherwise, HeaderPolicy unixSockets) {
        // Longest prefix first, so the first match is the most specific one.
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt((Rule r) -> r.network().prefixLength()).reversed());
        this.rules = List.copyOf(sorted);
        this.otherwise = otherwise;
        this.unixSockets = unixSockets;
    }

    /** A builder with no rules and the default {@link HeaderPolicy#REJECT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every source must send a header, and every header is believed: for tests and closed networks. */
    public static TrustPolicy requireFromAll() {
        return builder().otherwise(HeaderPolicy.REQUIRE).build();
    }

    /**
     * The policy for a connection from {@code source}; an IPv4-mapped IPv6 source is matched as
     * IPv4. A null source (a socket without an IP peer: AF_UNIX) gets {@link #unixSockets()}.
     */
    public HeaderPolicy policyFor(InetAddress source) {
        if (source == null) {
            return unixSockets;
        }
        InetAddress normalized = Cidr.normalize(source);
        for (Rule rule : rules) {
            if (rule.network().contains(normalized)) {
                return rule.policy();
            }
        }
        return otherwise;
    }

    /** The rules, most specific first. */
    public List<Rule> rules() {
        return rules;
    }

    /** The policy of sources no rule matches. */
    public HeaderPolicy otherwise() {
        return otherwise;
    }

    /** The policy of clients of a UNIX-domain socket. */
    public HeaderPolicy unixSockets() {
        return unixSockets;
    }

    @Override
    public String toString() {
        return "TrustPolicy" + rules + " otherwise " + otherwise
                + (unixSockets == otherwise ? "" : ", unix sockets " + unixSockets);
    }

    /** Collects rules; the same network twice is an error, since which one should win? */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private HeaderPolicy otherwise = HeaderPolicy.REJECT;
        private HeaderPolicy unixSockets;

        private Builder() {
        }

        /** Sources in {@code cidr} must send a header, and its addresses are believed ({@link HeaderPolicy#REQUIRE}). */
        public Builder trust(String cidr) {
            return rule(cidr, HeaderPolicy.REQUIRE);
        }

        /** Sources in {@code cidr} get {@code policy}. */
        public Builder rule(String cidr, HeaderPolicy policy) {
            return rule(Cidr.parse(cidr), policy);
        }

        /** Sources in {@code network} get {@code policy}. */
        public Builder rule(Cidr network, HeaderPolicy policy) {
            Rule rule = new Rule(network, policy);
            for (Rule existing : rules) {
                if (existing.network().equals(network)) {
                    throw new IllegalArgumentException("network " + network + " has two rules: "
                            + existing.policy() + " and " + policy);
                }
            }
            rules.add(rule);
            return this;
        }

        /**
         * The policy of sources that no rule matches. {@link HeaderPolicy#OPTIONAL} is refused: a
         * listener may not guess whether an unknown source sent a header.
         */
        public Builder otherwise(HeaderPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            if (policy == HeaderPolicy.OPTIONAL) {
                throw new IllegalArgumentException("OPTIONAL cannot be the default policy: the PROXY specification"
                        + " forbids guessing whether a header is present; name the trusted sources it applies to");
            }
            this.otherwise = policy;
            return this;
        }

        /** The policy of clients of a UNIX-domain socket; without it they get the {@link #otherwise} one. */
        public Builder unixSockets(HeaderPolicy policy) {
            this.unixSockets = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public TrustPolicy build() {
            return new TrustPolicy(rules, otherwise, unixSockets == null ? otherwise : unixSockets);
        }
    }
}
