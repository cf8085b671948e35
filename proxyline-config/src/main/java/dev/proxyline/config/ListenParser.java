package dev.proxyline.config;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses {@code listen ADDR:PORT|PORT|[v6]:PORT|*:PORT|unix:PATH [flags...]}; listen addresses must be IP literals.
 */
final class ListenParser {
    private static final Set<String> NGINX_ONLY = Set.of("bind", "rcvbuf", "sndbuf", "deferred",
            "accept_filter", "fastopen", "quic", "setfib", "http3", "spdy", "udp");

    private final ArgReader r;
    private final boolean http;

    ListenParser(ArgReader r, boolean http) {
        this.r = r;
        this.http = http;
    }

    Optional<Listen> parse(Directive d) {
        Argument first = d.arg(0);
        Optional<ListenAddress> addr = address(first);
        boolean ok = addr.isPresent();
        boolean proxyProtocol = false, reusePort = false, ssl = false, http2 = false, defaultServer = false;
        int backlog = Listen.DEFAULT_BACKLOG;
        Optional<Boolean> soKeepalive = Optional.empty();
        boolean ipv6Only = true;
        Argument ipv6OnlyArg = null;
        Argument reusePortArg = null;
        for (Argument a : d.args().subList(1, d.args().size())) {
            String v = a.value();
            int eq = v.indexOf('=');
            String key = eq < 0 ? v : v.substring(0, eq);
            String val = eq < 0 ? "" : v.substring(eq + 1);
            switch (key) {
                case "proxy_protocol" -> {
                    ok &= noValue(a, eq);
                    proxyProtocol = true;
                }
                case "reuseport" -> {
                    ok &= noValue(a, eq);
                    reusePort = true;
                    reusePortArg = a;
                }
                case "backlog" -> {
                    OptionalInt b = r.intInRange(d, a, val, 1, 65535);
                    if (b.isPresent()) backlog = b.getAsInt(); else ok = false;
                }
                case "so_keepalive" -> {
                    Optional<Boolean> f = Values.flag(val);
                    if (f.isPresent()) {
                        soKeepalive = f;
                    } else {
                        r.error(a, "invalid so_keepalive value \"" + val + "\" in \"listen\" (proxyline supports on|off; "
                                + "nginx's keepidle:keepintvl:keepcnt form is not supported)");
                        ok = false;
                    }
                }
                case "ipv6only" -> {
                    Optional<Boolean> f = Values.flag(val);
                    if (f.isEmpty()) {
                        r.error(a, "invalid ipv6only flags \"" + val + "\" in \"listen\" (expected on or off)");
                        ok = false;
                    } else {
                        ipv6Only = f.get();
                        ipv6OnlyArg = a;
                    }
                }
                case "ssl", "http2", "default_server", "default" -> {
                    if (!http && key.equals("ssl")) {
                        ok &= noValue(a, eq);
                        ssl = true;
                    } else if (!http) {
                        r.error(a, "listen parameter \"" + key + "\" is not supported in stream server");
                        ok = false;
                    } else if (key.equals("ssl")) {
                        ssl = true;
                    } else if (key.equals("http2")) {
                        http2 = true;
                    } else {
                        defaultServer = true;
                    }
                }
                default -> {
                    if (NGINX_ONLY.contains(key)) {
                        r.error(a, "unsupported listen parameter \"" + key + "\" (nginx has it, proxyline does not)");
                    } else {
                        r.error(a, "invalid parameter \"" + v + "\" in \"listen\" directive");
                    }
                    ok = false;
                }
            }
        }
        if (reusePortArg != null && addr.isPresent() && addr.get() instanceof ListenAddress.Unix) {
            // nginx -t passes it, but nginx then fails to start: the kernel has no SO_REUSEPORT for AF_UNIX.
            r.error(reusePortArg, "reuseport is not supported on the unix socket \"" + first.value() + "\" (nginx fails "
                    + "to start with \"setsockopt(SO_REUSEPORT) ... failed (95: Operation not supported)\")");
            ok = false;
        }
        if (!ok) return Optional.empty();
        Listen listen = new Listen(d.position(), addr.get(), proxyProtocol, backlog, reusePort, soKeepalive,
                ipv6Only, ssl, http2, defaultServer);
        if (ipv6OnlyArg != null && !listen.isIpv6() && addr.get() instanceof ListenAddress.Ip) {
            // Only IPv6 sockets read the flag, so on an IPv4 address it is kept and means nothing, as nginx warns.
            r.errors().warn(ipv6OnlyArg.position(),
                    "ipv6only is ignored on the IPv4 address \"" + first.value() + "\"");
        }
        return Optional.of(listen);
    }

    private boolean noValue(Argument a, int eq) {
        if (eq >= 0) r.error(a, "listen parameter \"" + a.value().substring(0, eq) + "\" takes no value");
        return eq < 0;
    }

    private Optional<ListenAddress> address(Argument a) {
        String s = a.value();
        OptionalInt defaultPort = http ? OptionalInt.of(80) : OptionalInt.empty();
        if (s.startsWith("unix:")) {
            AddressParser.Result unix = AddressParser.unix(s.substring(5));
            if (unix.endpoint().isEmpty()) {
                r.error(a, unix.error() + " in \"" + s + "\" of the \"listen\" directive");
                return Optional.empty();
            }
            return Optional.of(new ListenAddress.Unix(((Endpoint.Unix) unix.endpoint().get()).path()));
        }
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            OptionalInt p = AddressParser.port(s);
            if (p.isEmpty()) r.error(a, "invalid port \"" + s + "\" in \"listen\" directive (expected 1-65535)");
            return p.isPresent() ? Optional.of(new ListenAddress.Ip(Optional.empty(), p.getAsInt())) : Optional.empty();
        }
        if (s.equals("*") || s.startsWith("*:")) {
            OptionalInt p = s.equals("*") ? defaultPort : AddressParser.port(s.substring(2));
            if (p.isEmpty()) {
                r.error(a, "invalid port in \"" + s + "\" of \"listen\" directive" + (http ? "" : " (stream needs a port)"));
                return Optional.empty();
            }
            return Optional.of(new ListenAddress.Ip(Optional.empty(), p.getAsInt()));
        }
        Optional<AddressParser.HostPort> hp = AddressParser.split(s);
        if (hp.isEmpty()) {
            r.error(a, "invalid address \"" + s + "\" in \"listen\" directive (expected PORT, ADDR:PORT, [IPv6]:PORT or *:PORT)");
            return Optional.empty();
        }
        Optional<InetAddress> ip = InetLiteral.parse(hp.get().host());
        if (ip.isEmpty()) {
            r.error(a, "listen address \"" + hp.get().host() + "\" is not an IP literal (proxyline does not resolve names)");
            return Optional.empty();
        }
        OptionalInt port = hp.get().port().isPresent() ? hp.get().port() : defaultPort;
        if (port.isEmpty()) {
            r.error(a, "no port in \"" + s + "\" of \"listen\" directive");
            return Optional.empty();
        }
        return Optional.of(new ListenAddress.Ip(ip, port.getAsInt()));
    }
}
