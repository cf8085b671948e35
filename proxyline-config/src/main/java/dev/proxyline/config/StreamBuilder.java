package dev.proxyline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds {@link StreamConfig} from the validated {@code stream} block. */
final class StreamBuilder {
    private final ArgReader r;
    private final ResolverReader resolvers;

    StreamBuilder(ArgReader r) {
        this.r = r;
        this.resolvers = new ResolverReader(r);
    }

    StreamConfig build(Directive stream) {
        Scope scope = Scope.root(stream.children());
        Map<String, LogFormat> formats = LogFormats.read(scope.local("log_format"), false, r);
        Map<String, Upstream> upstreams = upstreams(scope.local("upstream"), new UpstreamBuilder(r, false), r);
        StreamSettingsReader settings = new StreamSettingsReader(r, formats);
        LimitReader limits = new LimitReader(r);
        Map<String, LimitConnZone> zones = limits.connZones(scope.local("limit_conn_zone"));
        // Reports errors in stream-level values even when no server inherits them.
        settings.read(scope).limitConns().forEach(limit -> limits.checkZone(limit, zones));
        resolvers.read(scope);
        ListenParser listenParser = new ListenParser(r, false);
        List<StreamServer> servers = new ArrayList<>();
        for (Directive block : scope.local("server")) {
            server(block, scope, upstreams, settings, listenParser, limits, zones).ifPresent(servers::add);
        }
        List<Listen> listens = servers.stream().flatMap(s -> s.listens().stream()).toList();
        ListenChecks.noDuplicates(listens, r);
        ListenChecks.sharedSocketOptions(listens, r);
        return new StreamConfig(upstreams, servers, formats, new MapBuilder(r).build(scope.local("map")), zones);
    }

    static Map<String, Upstream> upstreams(List<Directive> blocks, UpstreamBuilder builder, ArgReader r) {
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        for (Directive d : blocks) {
            String name = d.arg(0).value();
            Optional<Upstream> u = builder.build(d);
            if (upstreams.containsKey(name)) {
                r.error(d.arg(0), "duplicate upstream \"" + name + "\" (first at line " + upstreams.get(name).position().line() + ")");
                continue;
            }
            u.ifPresent(up -> upstreams.put(name, up));
        }
        return upstreams;
    }

    private Optional<StreamServer> server(Directive block, Scope parent, Map<String, Upstream> upstreams,
                                          StreamSettingsReader settingsReader, ListenParser listenParser,
                                          LimitReader limits, Map<String, LimitConnZone> zones) {
        Scope s = parent.child(block.children());
        List<Listen> listens = new ArrayList<>();
        for (Directive d : s.local("listen")) listenParser.parse(d).ifPresent(listens::add);
        boolean ok = true;
        if (s.local("listen").isEmpty()) {
            r.error(block, "no \"listen\" is defined for stream server");
            ok = false;
        }
        Optional<ProxyTarget> target = Optional.empty();
        Optional<Directive> proxyPass = s.get("proxy_pass");
        if (proxyPass.isEmpty()) {
            r.error(block, "no \"proxy_pass\" is defined for stream server (nothing to relay to)");
            ok = false;
        } else {
            target = target(proxyPass.get().arg(0), upstreams, resolvers.read(s));
        }
        StreamSettings settings = settingsReader.read(s);
        new StreamTlsChecks(r).check(s, listens, settings.tls());
        if (proxyPass.isPresent()) {
            settings.proxySsl().ifPresent(ssl -> settingsReader.checkProxySsl(ssl, proxyPass.get()));
        }
        if (!s.local("limit_conn").isEmpty()) {
            // Its own only: the inherited ones were checked at the stream level.
            settings.limitConns().forEach(limit -> limits.checkZone(limit, zones));
        }
        if (!settings.accept().policy().isEmpty() && !listens.isEmpty() && listens.stream().noneMatch(Listen::proxyProtocol)) {
            Directive policy = s.all("proxy_protocol_policy").get(0);
            r.errors().warn(policy.position(), "\"proxy_protocol_policy\" has no effect on the server at "
                    + block.position() + ": none of its listens has \"proxy_protocol\"");
        }
        if (!ok || target.isEmpty() || listens.isEmpty()) return Optional.empty();
        return Optional.of(new StreamServer(block.position(), listens, target.get(), settings));
    }

    /**
     * nginx's rule: a name that matches an upstream block is that group, anything else must be an address; a value
     * with variables is judged per session, once expanded.
     */
    private Optional<ProxyTarget> target(Argument a, Map<String, Upstream> upstreams, Optional<Resolver> resolver) {
        String v = a.value();
        if (upstreams.containsKey(v)) return Optional.of(new ProxyTarget.UpstreamRef(v));
        if (a.hasVariables()) {
            return Optional.of(new ProxyTarget.Computed(v, a.position(), resolver));
        }
        AddressParser.Result res = AddressParser.endpoint(v, OptionalInt.empty());
        if (res.endpoint().isPresent()) return Optional.of(new ProxyTarget.Direct(res.endpoint().get()));
        if (v.indexOf(':') < 0 && AddressParser.isHostName(v)) {
            r.error(a, "no upstream named \"" + v + "\" and \"" + v + "\" has no port, in \"proxy_pass\" directive");
        } else {
            r.error(a, res.error() + " in \"proxy_pass\" directive");
        }
        return Optional.empty();
    }
}
