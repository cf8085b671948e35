package dev.proxyline.server.http.proxy;

import dev.proxyline.server.tls.HostnameCheck;
import dev.proxyline.server.tls.ChainVerifier;
import dev.proxyline.server.tls.UpstreamTlsSettings;
import dev.proxyline.server.tls.VerifyFailure;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS on the connections of one {@code proxy_pass https://}: one per distinct setting and name, made at startup.
 * Compared by identity: upstream connections are pooled by it, so a plain and a TLS connection, or two made with
 * different names or settings, never stand in for each other. The stream module's {@code proxy_ssl on} uses it too.
 */
public final class UpstreamTls {
    private final UpstreamTlsSettings settings;
    private final String name;
    private final List<SNIServerName> serverNames;
    private final boolean reuseSessions;

    /**
     * @param name          {@code proxy_ssl_name} or the host of {@code proxy_pass}, without a port
     * @param sendName      {@code proxy_ssl_server_name on}
     * @param reuseSessions {@code proxy_ssl_session_reuse on}
     */
    public UpstreamTls(UpstreamTlsSettings settings, String name, boolean sendName, boolean reuseSessions) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.name = Objects.requireNonNull(name, "name");
        this.serverNames = sendName && sniAllowed(name) ? List.of(new SNIHostName(name)) : List.of();
        this.reuseSessions = reuseSessions;
    }

    /** As nginx, after RFC 6066: no SNI for an IP address (nor for nothing). */
    static boolean sniAllowed(String name) {
        if (name.isEmpty() || name.charAt(0) == '[' || name.indexOf(':') >= 0) return false;
        if (name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) return false;
        try {
            new SNIHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code proxy_ssl_name}'s value as nginx uses it: a port written after the name is not part of it. */
    public static String withoutPort(String name) {
        int from = 0;
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            if (close > 0) from = close;
        }
        int colon = name.indexOf(':', from);
        return colon < 0 ? name : name.substring(0, colon);
    }

    String name() {
        return name;
    }

    /**
     * The handler that starts TLS on a new connection to {@code peer}, its handshake bounded by
     * {@code handshakeTimeout} ({@code proxy_connect_timeout}, as nginx bounds it).
     */
    public SslHandler newHandler(ByteBufAllocator alloc, SocketAddress peer, Duration handshakeTimeout) {
        // A session is kept per peer address, as nginx keeps one per upstream server; an address given as the
        // engine's host is never sent as SNI, which only the server names below decide. A UNIX-domain peer has no
        // address an engine could be keyed by without its path being taken for a host name: no session is kept.
        SSLEngine engine = reuseSessions && peer instanceof InetSocketAddress inet
                ? settings.context().newEngine(alloc, inet.getAddress().getHostAddress(), inet.getPort())
                : settings.context().newEngine(alloc);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverNames);
        engine.setSSLParameters(parameters);
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        return handler;
    }

    /**
     * Empty when the upstream may be used: without {@code proxy_ssl_verify}, always; with it, when its chain is
     * trusted and its certificate is for {@link #name}. Otherwise nginx's error log words.
     */
    public Optional<String> verify(SSLSession session, long nowMillis) {
        if (settings.check().isEmpty()) return Optional.empty();
        ChainVerifier check = settings.check().get();
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) chain.add(x);
            }
        } catch (SSLPeerUnverifiedException e) {
            return Optional.of("upstream SSL certificate does not match \"" + name + "\"");
        }
        if (chain.isEmpty()) return Optional.of("upstream SSL certificate verify error: (50:application verification failure)");
        Optional<VerifyFailure> problem = check.verify(chain, Instant.ofEpochMilli(nowMillis));
        if (problem.isPresent()) return Optional.of("upstream SSL certificate verify error: " + problem.get().describe());
        if (!HostnameCheck.matches(chain.get(0), name)) {
            return Optional.of("upstream SSL certificate does not match \"" + name + "\"");
        }
        return Optional.empty();
    }
}
