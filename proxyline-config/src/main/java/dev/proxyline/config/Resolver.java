package dev.proxyline.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code resolver ADDRESS ... [valid=TIME] [ipv6=on|off]} with {@code resolver_timeout}: the DNS servers that names in
 * a {@code proxy_pass} with variables are looked up with, at run time. Only these servers are asked, as nginx's
 * resolver does (no {@code /etc/resolv.conf}, no hosts file, no search domains).
 *
 * @param servers  the name servers, in the order written (port 53 unless given): IP addresses, or host names that
 *                 the runtime resolves once at start with the system's resolver, each address a server, as nginx
 *                 does
 * @param valid    how long an answer is used, overriding its records' TTL; empty: the TTL decides
 * @param ipv6     whether AAAA records are asked for too (nginx's default {@code ipv6=on})
 * @param timeout  {@code resolver_timeout}: how long one lookup may take (nginx's default 30s)
 * @param position where {@code resolver} is written
 */
public record Resolver(List<Endpoint> servers, Optional<Duration> valid, boolean ipv6, Duration timeout,
                       Position position) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Resolver {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) throw new IllegalArgumentException("a resolver needs a server");
        if (servers.stream().anyMatch(Endpoint.Unix.class::isInstance)) {
            throw new IllegalArgumentException("a resolver is reached over UDP: " + servers);
        }
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(position, "position");
    }

    /** The same resolver whoever refers to it: the position does not make two equal settings different. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Resolver other && servers.equals(other.servers) && valid.equals(other.valid)
                && ipv6 == other.ipv6 && timeout.equals(other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(servers, valid, ipv6, timeout);
    }
}
