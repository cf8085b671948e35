package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ClientConnection;
import dev.proxyline.config.HttpServer;
import dev.proxyline.server.http.routing.HostRoute;
import dev.proxyline.server.http.routing.VirtualHosts;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What nginx's reading of a request head takes from the server configuration, per listen socket: the buffers
 * ({@code client_header_buffer_size}, {@code large_client_header_buffers}) and which field names it keeps
 * ({@code underscores_in_headers}, {@code ignore_invalid_headers}). nginx reads the request line with the default
 * server's, and each field line with those of the server chosen so far: a request line's host (absolute form) or the
 * Host field switches to its server for the lines after it. Where every server of the socket reads heads alike (the
 * usual case), no head costs a lookup.
 */
final class HeadRules {
    /** One server's rules; {@code buffers.firstSize()} matters only for the default server's. */
    record Server(ClientConnection.HeaderBuffers buffers, boolean underscores, boolean ignoreInvalid) {
        static Server of(ClientConnection client) {
            return new Server(client.headerBuffers(), client.underscoresInHeaders(), client.ignoreInvalidHeaders());
        }

        /** The same rules for the lines after the request line. */
        boolean readsFieldsAs(Server other) {
            return buffers.largeNumber() == other.buffers.largeNumber()
                    && buffers.largeSize() == other.buffers.largeSize()
                    && underscores == other.underscores && ignoreInvalid == other.ignoreInvalid;
        }
    }

    /** nginx's defaults on a socket of one server. */
    static final HeadRules STANDARD = new HeadRules(Server.of(ClientConnection.DEFAULTS), null, Map.of());

    private final Server first;
    /** Null when every server reads field lines as the default one: nothing to switch to. */
    private final VirtualHosts hosts;
    private final Map<HttpServer, Server> byServer;

    private HeadRules(Server first, VirtualHosts hosts, Map<HttpServer, Server> byServer) {
        this.first = first;
        this.hosts = hosts;
        this.byServer = byServer;
    }

    static HeadRules of(HttpListenerPlan plan) {
        Server first = Server.of(plan.defaultServer().server().settings().client());
        Map<HttpServer, Server> byServer = new IdentityHashMap<>();
        boolean alike = true;
        for (HttpServer s : plan.hosts().servers()) {
            Server rules = Server.of(s.settings().client());
            byServer.put(s, rules);
            alike &= rules.readsFieldsAs(first);
        }
        return alike ? new HeadRules(first, null, Map.of()) : new HeadRules(first, plan.hosts(), byServer);
    }

    /** The default server's rules: the request line's, and the fields' until a host chooses a server. */
    Server first() {
        return first;
    }

    /** Whether a host may change the rules: only then is it worth looking up. */
    boolean varies() {
        return hosts != null;
    }

    /** The rules of the server {@code host} chooses; the default's for a host that chooses none (it is refused later). */
    Server forHost(String host) {
        if (hosts == null) return first;
        return hosts.select(host) instanceof HostRoute.Server s ? byServer.get(s.server()) : first;
    }
}
