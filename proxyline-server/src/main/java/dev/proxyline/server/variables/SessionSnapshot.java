package dev.proxyline.server.variables;

import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.server.stream.preread.ClientHello;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the stream variables of one session are computed from, frozen at one moment: the end of the
 * session for an access log line, the upstream connect for a PROXY header sent upstream.
 *
 * <p>Immutable and free of Netty types, so it can be handed to another thread (the access log
 * writer) and built by hand in tests.
 *
 * @param connection    the connection serial number ({@code $connection})
 * @param peer          the socket's remote address (the balancer, for a proxied connection)
 * @param local         the socket's local address ({@code $server_addr})
 * @param proxied       what the PROXY stage found, when the listener expects a header; its
 *                      {@link ProxiedConnection#client()} is the header's source only when the
 *                      source was trusted ({@code set_real_ip_from}), which is nginx's realip
 * @param upstreams     the upstream attempts so far, in order
 * @param bytesSent     bytes sent to the client
 * @param bytesReceived bytes received from the client
 * @param startMillis   when the session started, epoch milliseconds
 * @param nowMillis     when this snapshot was taken, epoch milliseconds ({@code $time_local},
 *                      {@code $session_time})
 * @param status        the session status (200, 400, 403, 500, 502, 503), 0 while it runs
 * @param http          the HTTP request this snapshot is about, for the http variables; empty in
 *                      the stream module
 * @param limitConnStatus the stream {@code $limit_conn_status}; empty (not found) when no {@code limit_conn}
 *                      counted the session
 * @param preread       what {@code ssl_preread} found; empty when it did not run or found no TLS (its variables
 *                      are then not found, as in nginx)
 * @param tls           what the TLS handshake of a stream {@code listen ... ssl} settled; empty on a plain session
 *                      (and in http, whose exchange carries its own)
 */
public record SessionSnapshot(
        long connection,
        SocketAddress peer,
        SocketAddress local,
        Optional<ProxiedConnection> proxied,
        List<UpstreamAttempt> upstreams,
        long bytesSent,
        long bytesReceived,
        long startMillis,
        long nowMillis,
        int status,
        Optional<HttpExchange> http,
        String limitConnStatus,
        Optional<ClientHello> preread,
        Optional<SessionTls> tls) {

    public SessionSnapshot {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(proxied, "proxied");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(limitConnStatus, "limitConnStatus");
        Objects.requireNonNull(preread, "preread");
        Objects.requireNonNull(tls, "tls");
        upstreams = List.copyOf(upstreams);
        if (bytesSent < 0 || bytesReceived < 0) {
            throw new IllegalArgumentException("byte counts must not be negative: " + bytesSent + ", " + bytesReceived);
        }
        if (status < 0 || status > 999) {
            throw new IllegalArgumentException("status " + status + " (expected 0-999)");
        }
    }

    /**
     * {@code $remote_addr}: the client after realip, that is the PROXY header's source when the
     * source was trusted and the header carried an IP address, otherwise the socket peer.
     */
    public SocketAddress remote() {
        if (http.isPresent()) {
            return http.get().remote(); // the http realip module decides per request
        }
        return proxied.isPresent() ? proxied.get().client() : peer;
    }

    /**
     * The address the client connected to, chosen like {@link #remote()}: the header's destination
     * when trusted, otherwise the socket's local address.
     */
    public SocketAddress destination() {
        return proxied.isPresent() ? proxied.get().destination() : local;
    }

    /** The PROXY header received, whoever sent it (untrusted headers too, as nginx shows them). */
    public Optional<ProxyHeader> header() {
        return proxied.isPresent() ? proxied.get().header() : Optional.empty();
    }

    /** A builder for a session from {@code peer} to {@code local}; everything else starts empty or zero. */
    public static Builder builder(long connection, SocketAddress peer, SocketAddress local) {
        return new Builder(connection, peer, local);
    }

    /**
     * Collects a session's facts as they happen and takes snapshots. Not thread-safe: it belongs to
     * the session, on its event loop.
     */
    public static final class Builder {
        private final long connection;
        private final SocketAddress peer;
        private final SocketAddress local;
        private Optional<ProxiedConnection> proxied = Optional.empty();
        private final List<UpstreamAttempt> upstreams = new ArrayList<>(2);
        private long bytesSent;
        private long bytesReceived;
        private long startMillis;
        private int status;
        private Optional<HttpExchange> http = Optional.empty();
        private String limitConnStatus = "";
        private Optional<ClientHello> preread = Optional.empty();
        private Optional<SessionTls> tls = Optional.empty();

        private Builder(long connection, SocketAddress peer, SocketAddress local) {
            this.connection = connection;
            this.peer = Objects.requireNonNull(peer, "peer");
            this.local = Objects.requireNonNull(local, "local");
        }

        public Builder proxied(ProxiedConnection connection) {
            this.proxied = Optional.of(connection);
            return this;
        }

        public Builder startMillis(long millis) {
            this.startMillis = millis;
            return this;
        }

        public Builder upstream(UpstreamAttempt attempt) {
            upstreams.add(Objects.requireNonNull(attempt, "attempt"));
            return this;
        }

        public Builder bytesSent(long bytes) {
            this.bytesSent = bytes;
            return this;
        }

        public Builder bytesReceived(long bytes) {
            this.bytesReceived = bytes;
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder http(HttpExchange exchange) {
            this.http = Optional.of(exchange);
            return this;
        }

        public Builder limitConnStatus(String status) {
            this.limitConnStatus = Objects.requireNonNull(status, "status");
            return this;
        }

        public Builder preread(ClientHello hello) {
            this.preread = Optional.of(hello);
            return this;
        }

        public Builder tls(SessionTls tls) {
            this.tls = Optional.of(tls);
            return this;
        }

        /** The facts so far, as seen at {@code nowMillis}. */
        public SessionSnapshot snapshot(long nowMillis) {
            return new SessionSnapshot(connection, peer, local, proxied, upstreams, bytesSent, bytesReceived,
                    startMillis, nowMillis, status, http, limitConnStatus, preread, tls);
        }
    }
}
