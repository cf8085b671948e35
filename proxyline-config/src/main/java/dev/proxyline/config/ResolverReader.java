package dev.proxyline.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code resolver} and {@code resolver_timeout} as a block has them (its own or inherited). Each line is
 * checked once, where it is written, however many blocks inherit it.
 */
final class ResolverReader {
    private final ArgReader r;
    private final boolean reports;
    private final Set<Directive> checked = Collections.newSetFromMap(new IdentityHashMap<>());

    ResolverReader(ArgReader r) {
        this(r, true);
    }

    /** @param reports false for a second reader of lines that another one reports on */
    ResolverReader(ArgReader r, boolean reports) {
        this.r = r;
        this.reports = reports;
    }

    /** The resolver in force in {@code s}; empty without one (or when its line is wrong, reported). */
    Optional<Resolver> read(Scope s) {
        Optional<Directive> line = s.get("resolver");
        Optional<Directive> timeoutLine = s.get("resolver_timeout");
        boolean report = reports && line.map(checked::add).orElse(false);
        boolean reportTimeout = reports && timeoutLine.map(checked::add).orElse(false);
        Duration timeout = Resolver.DEFAULT_TIMEOUT;
        if (timeoutLine.isPresent()) {
            Directive d = timeoutLine.get();
            Optional<Duration> v = reportTimeout ? r.duration(d, d.arg(0)) : Values.duration(d.arg(0).value());
            if (v.isEmpty()) return Optional.empty();
            timeout = v.get();
        }
        return line.isPresent() ? resolver(line.get(), timeout, report) : Optional.empty();
    }

    private Optional<Resolver> resolver(Directive d, Duration timeout, boolean report) {
        List<Endpoint> servers = new ArrayList<>();
        Optional<Duration> valid = Optional.empty();
        boolean ipv6 = true;
        boolean ok = true;
        for (Argument a : d.args()) {
            String v = a.value();
            if (v.startsWith("valid=")) {
                // nginx's valid= takes seconds at the finest, as its other resolver times.
                valid = Values.duration(v.substring(6)).filter(t -> t.toMillis() % 1000 == 0);
                if (valid.isEmpty()) ok = fail(report, a, "invalid parameter: " + v + " (expected e.g. valid=30s)");
            } else if (v.equals("ipv6=on") || v.equals("ipv6=off")) {
                ipv6 = v.equals("ipv6=on");
            } else if (v.startsWith("ipv6=")) {
                ok = fail(report, a, "invalid parameter: " + v + " (expected ipv6=on or ipv6=off)");
            } else {
                Optional<Endpoint> server = server(a, report);
                if (server.isEmpty()) ok = false;
                server.ifPresent(servers::add);
            }
        }
        if (servers.isEmpty()) {
            if (ok) fail(report, d.arg(0), "no name servers defined");
            return Optional.empty();
        }
        return ok ? Optional.of(new Resolver(servers, valid, ipv6, timeout, d.position())) : Optional.empty();
    }

    /**
     * An IP address or a host name, with an optional port. A name is looked up at start (by the runtime: this layer
     * resolves nothing); what cannot be a name is refused here with nginx's words, which is also how nginx 1.22
     * refuses the later versions' {@code ipv4=off} and {@code status_zone=} (it takes them for names).
     */
    private Optional<Endpoint> server(Argument a, boolean report) {
        String v = a.value();
        Optional<AddressParser.HostPort> hp = AddressParser.split(v);
        if (hp.isEmpty()) {
            boolean badPort = v.startsWith("[") ? v.indexOf(']') > 0 && v.indexOf(']') + 1 < v.length()
                    : v.indexOf(':') >= 0;
            fail(report, a, (badPort ? "invalid port in resolver \"" : "invalid address in resolver \"") + v + "\"");
            return Optional.empty();
        }
        int port = hp.get().port().orElse(53);
        Optional<InetAddress> address = InetLiteral.parse(hp.get().host());
        if (address.isPresent()) return Optional.of(new Endpoint.Inet(address.get(), port));
        if (hp.get().bracketed() || !AddressParser.isHostName(hp.get().host())) {
            fail(report, a, "host not found in resolver \"" + v + "\"");
            return Optional.empty();
        }
        return Optional.of(new Endpoint.Host(hp.get().host(), port));
    }

    private boolean fail(boolean report, Argument a, String message) {
        if (report) r.error(a, message);
        return false;
    }
}
