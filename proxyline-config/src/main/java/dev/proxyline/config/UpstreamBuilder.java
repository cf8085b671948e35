package dev.proxyline.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Builds an {@link Upstream} from an {@code upstream NAME {...}} block (stream or http). */
final class UpstreamBuilder {
    private static final Set<String> NGINX_ONLY_PARAMS = Set.of("max_conns", "resolve", "service", "route",
            "slow_start", "drain");

    private final ArgReader r;
    private final boolean http;

    UpstreamBuilder(ArgReader r, boolean http) {
        this.r = r;
        this.http = http;
    }

    Optional<Upstream> build(Directive block) {
        String name = block.arg(0).value();
        List<UpstreamServer> servers = new ArrayList<>();
        Balancing balancing = new Balancing.RoundRobin();
        Directive balancingDirective = null;
        UpstreamKeepalive defaults = UpstreamKeepalive.NONE;
        int keepalive = defaults.connections();
        int keepaliveRequests = defaults.requests();
        Duration keepaliveTime = defaults.time();
        Duration keepaliveTimeout = defaults.timeout();
        for (Directive d : block.children()) {
            switch (d.name()) {
                case "server" -> server(d).ifPresent(servers::add);
                case "least_conn", "hash", "random" -> {
                    if (balancingDirective != null) {
                        r.error(d, "load balancing method redefined (\"" + balancingDirective.name() + "\" at line "
                                + balancingDirective.position().line() + ")");
                        continue;
                    }
                    balancingDirective = d;
                    balancing = balancing(d).orElse(balancing);
                }
                case "keepalive" -> keepalive = r.intInRange(d, d.arg(0), 1, 1_000_000).orElse(0);
                case "keepalive_requests" ->
                        keepaliveRequests = r.intInRange(d, d.arg(0), 1, Integer.MAX_VALUE).orElse(keepaliveRequests);
                case "keepalive_time" -> keepaliveTime = r.duration(d, d.arg(0)).orElse(keepaliveTime);
                case "keepalive_timeout" -> {
                    if (d.args().size() > 1) {
                        r.error(d.arg(1), "invalid number of arguments in \"keepalive_timeout\" directive in upstream "
                                + "(one time: how long an idle upstream connection is kept)");
                    }
                    keepaliveTimeout = r.duration(d, d.arg(0)).orElse(keepaliveTimeout);
                }
                default -> throw new IllegalStateException("directive table allowed " + d.name() + " in upstream");
            }
        }
        if (block.children().stream().noneMatch(d -> d.name().equals("server"))) {
            r.error(block, "no servers are inside upstream \"" + name + "\"");
            return Optional.empty();
        }
        if (balancingDirective != null && !(balancing instanceof Balancing.LeastConn)) {
            for (int i = 0; i < servers.size(); i++) {
                if (servers.get(i).backup()) {
                    r.error(balancingDirective, "balancing method \"" + balancingDirective.name()
                            + "\" does not support the \"backup\" parameter of upstream servers");
                    break;
                }
            }
        }
        return Optional.of(new Upstream(name, block.position(), servers, balancing,
                new UpstreamKeepalive(keepalive, keepaliveRequests, keepaliveTime, keepaliveTimeout)));
    }

    private Optional<Balancing> balancing(Directive d) {
        return switch (d.name()) {
            case "least_conn" -> Optional.of(new Balancing.LeastConn());
            case "hash" -> {
                boolean consistent = false;
                if (d.args().size() == 2) {
                    if (d.arg(1).value().equals("consistent")) {
                        consistent = true;
                    } else {
                        r.error(d.arg(1), "invalid parameter \"" + d.arg(1).value() + "\" in \"hash\" directive (expected \"consistent\")");
                        yield Optional.empty();
                    }
                }
                yield Optional.of(new Balancing.Hash(d.arg(0).value(), consistent));
            }
            default -> {
                if (d.args().isEmpty()) yield Optional.of(new Balancing.Random(false));
                if (d.arg(0).value().equals("two")) yield Optional.of(new Balancing.Random(true));
                r.error(d.arg(0), "invalid parameter \"" + d.arg(0).value() + "\" in \"random\" directive (expected \"two\")");
                yield Optional.empty();
            }
        };
    }

    private Optional<UpstreamServer> server(Directive d) {
        Argument addr = d.arg(0);
        AddressParser.Result res = AddressParser.endpoint(addr.value(), http ? OptionalInt.of(80) : OptionalInt.empty());
        boolean ok = res.endpoint().isPresent();
        if (!ok) r.error(addr, res.error() + " in upstream \"server\"");
        int weight = UpstreamServer.DEFAULT_WEIGHT;
        int maxFails = UpstreamServer.DEFAULT_MAX_FAILS;
        Duration failTimeout = UpstreamServer.DEFAULT_FAIL_TIMEOUT;
        boolean backup = false, down = false;
        for (Argument a : d.args().subList(1, d.args().size())) {
            String v = a.value();
            int eq = v.indexOf('=');
            String key = eq < 0 ? v : v.substring(0, eq);
            String val = eq < 0 ? "" : v.substring(eq + 1);
            switch (eq < 0 ? key : key + "=") {
                case "weight=" -> {
                    OptionalInt w = r.intInRange(d, a, val, 1, 1_000_000);
                    ok &= w.isPresent();
                    weight = w.orElse(weight);
                }
                case "max_fails=" -> {
                    OptionalInt m = r.intInRange(d, a, val, 0, 1_000_000);
                    ok &= m.isPresent();
                    maxFails = m.orElse(maxFails);
                }
                case "fail_timeout=" -> {
                    Optional<Duration> t = Values.duration(val);
                    if (t.isEmpty()) r.error(a, "invalid fail_timeout \"" + val + "\" in upstream \"server\"");
                    ok &= t.isPresent();
                    failTimeout = t.orElse(failTimeout);
                }
                case "backup" -> backup = true;
                case "down" -> down = true;
                default -> {
                    ok = false;
                    if (NGINX_ONLY_PARAMS.contains(key)) {
                        r.error(a, "unsupported upstream server parameter \"" + key + "\" (nginx has it, proxyline does not)");
                    } else {
                        r.error(a, "invalid parameter \"" + v + "\" in upstream \"server\"");
                    }
                }
            }
        }
        if (!ok) return Optional.empty();
        return Optional.of(new UpstreamServer(res.endpoint().get(), weight, maxFails, failTimeout, backup, down));
    }
}
