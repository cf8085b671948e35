package dev.proxyline.server.http.proxy;

import dev.proxyline.config.HttpServer;
import dev.proxyline.server.http.routing.VirtualHosts;
import dev.proxyline.server.runtime.ListenerPlan;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One http listen socket with the servers that answer on it.
 *
 * @param listener the socket and its PROXY receive settings
 * @param hosts    chooses the server by Host
 * @param servers  the compiled servers of {@code hosts}, by identity
 */
public record HttpListenerPlan(ListenerPlan listener, VirtualHosts hosts, Map<HttpServer, ServerPlan> servers) {
    public HttpListenerPlan {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(hosts, "hosts");
        servers = new IdentityHashMap<>(servers);
    }

    /** The compiled {@code server}. */
    public ServerPlan server(HttpServer server) {
        return Objects.requireNonNull(servers.get(server), "server of another listen");
    }

    /** The server answering requests no name matches; its settings apply before a request is routed. */
    public ServerPlan defaultServer() {
        return server(hosts.defaultServer());
    }
}
