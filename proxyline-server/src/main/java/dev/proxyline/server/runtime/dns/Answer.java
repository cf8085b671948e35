package dev.proxyline.server.runtime.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What one DNS response says about one question (A or AAAA), as nginx's resolver reads it.
 */
sealed interface Answer {
    /** Addresses of the asked type, possibly none (NOERROR with nothing usable), kept {@code ttl} seconds. */
    record Addresses(List<InetAddress> addresses, long ttl) implements Answer {
        public Addresses {
            addresses = List.copyOf(addresses);
        }
    }

    /** Only a CNAME: the name to look up instead. */
    record Alias(String name) implements Answer {
    }

    /** An RCODE from 2 to 5, reported as is. */
    record Error(int code) implements Answer {
    }

    /**
     * @param rcode     the response's RCODE
     * @param addresses the answer section's addresses of the asked type
     * @param ttl       the smallest TTL among them
     * @param alias     the target of a CNAME in the answer section, if any
     * @return the answer; empty for a response nginx ignores (FORMERR and RCODEs above 5: it logs "DNS error" and
     *     waits for another answer, so such a lookup ends in a timeout)
     */
    static Optional<Answer> of(int rcode, List<InetAddress> addresses, long ttl, Optional<String> alias) {
        if (rcode == 1 || rcode > 5) return Optional.empty();
        if (rcode != 0) return Optional.of(new Error(rcode));
        if (addresses.isEmpty() && alias.isPresent()) return Optional.of(new Alias(alias.get()));
        return Optional.of(new Addresses(addresses, addresses.isEmpty() ? 0 : ttl));
    }
}
