package dev.proxyline.server.http.connection;

import dev.proxyline.server.http.RequestStage;
import dev.proxyline.server.tls.ListenTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The connection stages of one http listen socket, between the PROXY stage and the request stage:
 * TLS with SNI when the socket has {@code ssl}, then HTTP/1.1 or HTTP/2 by ALPN; without {@code ssl},
 * HTTP/1.1, or with {@code http2} HTTP/2 with prior knowledge (h2c) or HTTP/1.1 by the first bytes.
 *
 * <p>For the integrator: at startup, for all {@code ssl} sockets at once (every problem reported together),
 * <pre>{@code
 * Map<String, ListenTls> tls = ListenTls.buildAll(new TlsPlanner(configDirectory).plan(http.servers()),
 *         new CertificateStore(DevelopmentCertificate.under(configDirectory)),
 *         new ServerContexts(ServerContexts.preferredProvider()));
 * }</pre>
 * then per socket ({@code bindKey}) once, and in its child channel initializer after
 * {@code ProxyReceiveStage.addFirst(pipeline)} when the socket has {@code proxy_protocol}:
 * <pre>{@code
 * Optional<ListenTls> socketTls = Optional.ofNullable(tls.get(bindKey));
 * HttpConnectionStages stages = HttpConnectionStages.forListen(socketTls, listen.http2(),
 *         defaultServer.settings().timeouts().clientHeader(), requestStage, new TlsHandshakes(RejectionLog.standard()));
 * ...
 * stages.install(channel, serial);
 * }</pre>
 * The request stage's handler then gets {@code channelActive} once the connection is settled, and an
 * {@code HttpConnection} with the PROXY and TLS facts.
 */
public final class HttpConnectionStages {
    private final Optional<ListenTls> tls;
    private final boolean http2;
    private final long timeoutMillis;
    private final RequestStage requestStage;
    private final TlsHandshakes handshakes;

    private HttpConnectionStages(Optional<ListenTls> tls, boolean http2, Duration timeout, RequestStage requestStage,
                                 TlsHandshakes handshakes) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.http2 = http2;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.requestStage = Objects.requireNonNull(requestStage, "requestStage");
        this.handshakes = Objects.requireNonNull(handshakes, "handshakes");
    }

    /**
     * @param tls          the socket's TLS, when it has {@code ssl}
     * @param http2        the socket has {@code http2}: offered by ALPN over TLS, or accepted as h2c without TLS
     * @param timeout      the deadline for the ClientHello, for the handshake, and for telling h2c from HTTP/1.1
     *                     ({@code client_header_timeout})
     * @param requestStage makes the handler that serves requests
     * @param handshakes   where handshake outcomes of this socket are counted and logged
     */
    public static HttpConnectionStages forListen(Optional<ListenTls> tls, boolean http2, Duration timeout,
                                                 RequestStage requestStage, TlsHandshakes handshakes) {
        return new HttpConnectionStages(tls, http2, timeout, requestStage, handshakes);
    }

    /** Adds this socket's stages at the end of {@code channel}'s pipeline; {@code serial} is {@code $connection}. */
    public void install(Channel channel, long serial) {
        ChannelPipeline p = channel.pipeline();
        if (tls.isPresent()) {
            p.addLast(ConnectionStageNames.TLS_SNI, new ServerNameStage(tls.get(), timeoutMillis));
            p.addLast(ConnectionStageNames.TLS_HANDSHAKE, new TlsHandshakeStage(serial, requestStage, handshakes));
        } else if (http2) {
            p.addLast(ConnectionStageNames.H2C_PREFACE, new H2cPrefaceStage(serial, requestStage, timeoutMillis));
        } else {
            p.addLast(ConnectionStageNames.HTTP1_START, new Http1Start(serial, requestStage));
        }
    }
}
