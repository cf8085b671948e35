package dev.proxyline.server.upstream;

/**
 * How an upstream group chooses a server: the closed set of nginx's open-source balancing
 * directives. The hash key itself is per connection or request and is given to
 * {@link UpstreamGroup#begin(String, NextUpstreamPolicy)}.
 */
public sealed interface BalancingMethod {

    /** The directive as nginx spells it, for messages. */
    String directive();

    /** Whether {@code backup} servers are allowed (nginx refuses them for {@code hash} and {@code random}). */
    boolean supportsBackup();

    /** The default: smooth weighted round-robin. */
    record RoundRobin() implements BalancingMethod {
        @Override
        public String directive() {
            return "round-robin";
        }

        @Override
        public boolean supportsBackup() {
            return true;
        }
    }

    /** {@code least_conn}: fewest active connections relative to weight, ties by round-robin. */
    record LeastConn() implements BalancingMethod {
        @Override
        public String directive() {
            return "least_conn";
        }

        @Override
        public boolean supportsBackup() {
            return true;
        }
    }

    /** {@code hash KEY [consistent]}. */
    record Hash(boolean consistent) implements BalancingMethod {
        @Override
        public String directive() {
            return consistent ? "hash consistent" : "hash";
        }

        @Override
        public boolean supportsBackup() {
            return false;
        }
    }

    /** {@code random [two]}; with two, the one of two random picks with fewer connections wins. */
    record Random(boolean two) implements BalancingMethod {
        @Override
        public String directive() {
            return two ? "random two" : "random";
        }

        @Override
        public boolean supportsBackup() {
            return false;
        }
    }
}
