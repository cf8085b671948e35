package dev.proxyline.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-server proxying settings of the stream module, after inheritance from the {@code stream}
 * level. Defaults are nginx's except {@link ProxyProtocolAccept#DEFAULT_TIMEOUT}.
 * {@code nextUpstreamTries} and {@code nextUpstreamTimeout} use 0 for "unlimited", as nginx does.
 * {@code splice} is {@code proxy_splice} (proxyline's; on by default): zero-copy relaying on the epoll transport.
 * {@code halfClose} is {@code proxy_half_close} (nginx's default off): whether a FIN is passed on to the other
 * side, or ends the session once everything before it was delivered. {@code socketKeepalive} is
 * {@code proxy_socket_keepalive} (default off): SO_KEEPALIVE on the upstream sockets. {@code limitConns} are the
 * server's {@code limit_conn}s (sessions in progress per key; a level with its own replaces the outer ones) and
 * {@code limitConnOptions} its {@code limit_conn_log_level} and {@code limit_conn_dry_run}. {@code preread} is
 * {@code ssl_preread} with {@code preread_buffer_size} and {@code preread_timeout}. {@code tls} is what a
 * {@code listen ... ssl} of the server terminates TLS with (nginx's stream ssl module takes the http one's
 * {@code ssl_*} directives), and {@code sslHandshakeTimeout} its {@code ssl_handshake_timeout} (default 60s).
 * {@code proxySsl} is TLS to the upstream: present with {@code proxy_ssl on}, with the {@code proxy_ssl_*} settings.
 * {@code sslAlpn} is {@code ssl_alpn}: the ALPN protocols a {@code listen ... ssl} offers, in order (none by default:
 * no ALPN is negotiated).
 */
public record StreamSettings(Duration connectTimeout, Duration timeout, boolean nextUpstream, int nextUpstreamTries,
                             Duration nextUpstreamTimeout, Optional<InetAddress> bind, long bufferSize,
                             ProxyProtocolSend send, ProxyProtocolAccept accept, List<AccessLog> accessLogs,
                             boolean splice, boolean halfClose, boolean socketKeepalive, AccessRules access,
                             List<HttpSettings.LimitConn> limitConns, LimitConnOptions limitConnOptions,
                             SslPreread preread, HttpSettings.Tls tls, Duration sslHandshakeTimeout,
                             Optional<ProxySsl> proxySsl, List<String> sslAlpn) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final long DEFAULT_BUFFER_SIZE = 16 * 1024;
    /** nginx's {@code ssl_handshake_timeout} default. */
    public static final Duration DEFAULT_SSL_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    public StreamSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(nextUpstreamTimeout, "nextUpstreamTimeout");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(accept, "accept");
        accessLogs = List.copyOf(accessLogs);
        Objects.requireNonNull(access, "access");
        limitConns = List.copyOf(limitConns);
        Objects.requireNonNull(limitConnOptions, "limitConnOptions");
        Objects.requireNonNull(preread, "preread");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(sslHandshakeTimeout, "sslHandshakeTimeout");
        Objects.requireNonNull(proxySsl, "proxySsl");
        sslAlpn = List.copyOf(sslAlpn);
    }
}
