package dev.proxyline.server.http.proxy;

import dev.proxyline.config.Endpoint;
import dev.proxyline.config.ProxySsl;
import dev.proxyline.config.ProxyTarget;
import dev.proxyline.server.tls.ClientContexts;
import dev.proxyline.server.tls.ServerContexts;
import dev.proxyline.server.tls.TlsSetupException;
import dev.proxyline.server.tls.UpstreamTlsSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@link UpstreamTls} of each {@code proxy_pass https://} of one planning pass: one per distinct setting and
 * name, so locations that agree share their engine context, session cache and pooled connections.
 */
public final class UpstreamTlsPlanner {
    private record Key(ProxySsl ssl, String name) {
    }

    private final ClientContexts contexts;
    private final Map<Key, UpstreamTls> made = new HashMap<>();
    private final Set<ProxySsl> failed = new HashSet<>();

    /** @param configDirectory what relative {@code proxy_ssl_*} file names are resolved against */
    UpstreamTlsPlanner(Path configDirectory) {
        this.contexts = new ClientContexts(ServerContexts.preferredProvider(), configDirectory);
    }

    /** The TLS of a {@code proxy_pass https://} to {@code target}; empty after a problem, added to {@code problems}. */
    Optional<UpstreamTls> tls(ProxySsl ssl, ProxyTarget target, List<String> problems) {
        if (failed.contains(ssl)) return Optional.empty(); // reported once
        String name = UpstreamTls.withoutPort(ssl.name().orElseGet(() -> host(target)));
        Key key = new Key(ssl, name);
        UpstreamTls tls = made.get(key);
        if (tls == null) {
            try {
                tls = new UpstreamTls(contexts.get(ssl), name, ssl.serverName(), ssl.sessionReuse());
            } catch (TlsSetupException e) {
                failed.add(ssl);
                problems.addAll(e.problems());
                return Optional.empty();
            }
            made.put(key, tls);
        }
        return Optional.of(tls);
    }

    /**
     * The TLS of a {@code proxy_pass} with variables, by the host of each request's URL ({@code proxy_ssl_name}
     * when set); empty after a problem, added to {@code problems}. The first {@link ByHost#KEPT} names keep theirs,
     * so their connections and sessions are reused; names past them, which only variables with unbounded values
     * give, get a new one each.
     */
    Optional<Function<String, UpstreamTls>> byHost(ProxySsl ssl, List<String> problems) {
        if (failed.contains(ssl)) return Optional.empty();
        try {
            return Optional.of(new ByHost(ssl, contexts.get(ssl)));
        } catch (TlsSetupException e) {
            failed.add(ssl);
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    private static final class ByHost implements Function<String, UpstreamTls> {
        static final int KEPT = 64;
        private final ProxySsl ssl;
        private final UpstreamTlsSettings settings;
        private final Map<String, UpstreamTls> kept = new ConcurrentHashMap<>();

        ByHost(ProxySsl ssl, UpstreamTlsSettings settings) {
            this.ssl = ssl;
            this.settings = settings;
        }

        @Override
        public UpstreamTls apply(String host) {
            String name = UpstreamTls.withoutPort(ssl.name().orElse(host));
            UpstreamTls tls = kept.get(name);
            if (tls != null) return tls;
            tls = new UpstreamTls(settings, name, ssl.serverName(), ssl.sessionReuse());
            if (kept.size() < KEPT) {
                UpstreamTls first = kept.putIfAbsent(name, tls);
                if (first != null) return first;
            }
            return tls;
        }
    }

    /** nginx's default name: the host of {@code proxy_pass}, an upstream block's name included. */
    public static String host(ProxyTarget target) {
        if (target instanceof ProxyTarget.UpstreamRef ref) return ref.name();
        Endpoint endpoint = ((ProxyTarget.Direct) target).endpoint();
        if (endpoint instanceof Endpoint.Host h) return h.host();
        if (endpoint instanceof Endpoint.Inet inet) {
            String a = inet.address().getHostAddress();
            return a.indexOf(':') >= 0 ? "[" + a + "]" : a;
        }
        return "localhost"; // a UNIX socket: nginx's $proxy_host for it
    }
}
