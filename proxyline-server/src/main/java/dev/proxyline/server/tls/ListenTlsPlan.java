package dev.proxyline.server.tls;

import dev.proxyline.config.HttpServer;
import dev.proxyline.server.http.routing.HostRoute;
import dev.proxyline.server.http.routing.VirtualHosts;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS of one {@code ssl} listen socket: which server's settings answer a client, chosen by the SNI name
 * with nginx's {@code server_name} rules (exact, wildcard, regex, then the default server), as the request
 * stage later chooses by {@code Host}. Plain Java; {@link ListenTls} turns it into engine contexts.
 */
public final class ListenTlsPlan {
    private final VirtualHosts hosts;
    private final boolean http2;
    private final Map<HttpServer, ServerTls> byServer;

    ListenTlsPlan(VirtualHosts hosts, boolean http2, Map<HttpServer, ServerTls> byServer) {
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.http2 = http2;
        this.byServer = new IdentityHashMap<>(byServer);
        for (HttpServer s : hosts.servers()) {
            if (!this.byServer.containsKey(s)) throw new IllegalArgumentException("no TLS settings for " + s.position());
        }
    }

    /** The socket, as {@link dev.proxyline.config.Listen#bindKey()} spells it. */
    public String bindKey() {
        return hosts.bindKey();
    }

    /** Whether the socket has {@code http2}: then ALPN offers {@code h2} before {@code http/1.1}. */
    public boolean http2() {
        return http2;
    }

    /**
     * The deadline for the ClientHello and for the handshake: the default server's
     * {@code client_header_timeout}, as nginx applies the default server's settings before it knows the name.
     */
    public Duration handshakeTimeout() {
        return hosts.defaultServer().settings().timeouts().clientHeader();
    }

    /** The settings for a client that sent no SNI name, or one no server is named by. */
    public ServerTls defaultSettings() {
        return byServer.get(hosts.defaultServer());
    }

    /** The settings for the SNI name a client sent (if any). */
    public ServerTls forServerName(Optional<String> serverName) {
        if (serverName.isEmpty()) return defaultSettings();
        return hosts.select(serverName.get()) instanceof HostRoute.Server s ? byServer.get(s.server()) : defaultSettings();
    }

    /**
     * The {@code ssl_buffer_size} of the server the SNI name selects (none sent, or one no server is named by: the
     * default server's), as nginx takes it from the server it switches to on the name.
     */
    public int bufferSize(Optional<String> serverName) {
        HttpServer server = serverName.isPresent() && hosts.select(serverName.get()) instanceof HostRoute.Server s
                ? s.server() : hosts.defaultServer();
        return server.settings().client().sslBufferSize();
    }

    /** The {@code ssl_buffer_size} every server on this socket has, or 0 when they differ. */
    public int commonBufferSize() {
        int size = hosts.defaultServer().settings().client().sslBufferSize();
        for (HttpServer s : hosts.servers()) {
            if (s.settings().client().sslBufferSize() != size) return 0;
        }
        return size;
    }

    /** Every distinct setting on this socket, the default first: one engine context each. */
    public Set<ServerTls> distinctSettings() {
        Set<ServerTls> out = new LinkedHashSet<>();
        out.add(defaultSettings());
        hosts.servers().forEach(s -> out.add(byServer.get(s)));
        return out;
    }
}
