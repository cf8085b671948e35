package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.HandlerNames;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
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
 * then per socket ({@code bindKey}) once, and in its child channel initializer:
 * <pre>{@code
 * Optional<ListenTls> socketTls = Optional.ofNullable(tls.get(bindKey));
 * HttpConnectionStages stages = HttpConnectionStages.forListen(socketTls, listen.http2(),
 *         defaultServer.settings().timeouts().clientHeader(), requestStage, new TlsHandshakes(RejectionLog.standard()));
 * ...
 * stages.installBehind(proxyReceiveStage, channel, serial); // with proxy_protocol
 * stages.install(channel, serial);                          // without
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

    /**
     * Adds this socket's stages at the end of {@code channel}'s pipeline, after a front stage that passes
     * {@code channelActive} on as it comes (or none); {@code serial} is {@code $connection}. A socket with
     * {@code proxy_protocol} uses {@link #installBehind} instead.
     */
    public void install(Channel channel, long serial) {
        ChannelPipeline p = channel.pipeline();
        if (p.get(HandlerNames.PROXY_RECEIVE) != null) {
            throw new IllegalStateException("a PROXY stage is in front: installBehind() passes on what it learns");
        }
        if (tls.isPresent() || http2) {
            installDeciding(p, serial);
        } else {
            // The facts of a plain connection are complete as it is accepted.
            StageSwitch.http1(channel, serial, Optional.empty(), requestStage);
        }
    }

    /**
     * For a socket with {@code proxy_protocol}: puts {@code proxy}'s stage first in {@code channel}'s pipeline and
     * this socket's stages after it; {@code serial} is {@code $connection}. On a plain HTTP/1.1 socket the PROXY
     * stage installs HTTP/1.1 itself as it leaves.
     */
    public void installBehind(ProxyReceiveStage proxy, Channel channel, long serial) {
        ChannelPipeline p = channel.pipeline();
        if (tls.isPresent() || http2) {
            proxy.addFirst(p);
            installDeciding(p, serial);
        } else {
            proxy.addFirst(p, (ctx, connection) ->
                    StageSwitch.http1(ctx.channel(), serial, Optional.of(connection), requestStage));
        }
    }

    /** The stages that decide on TLS or the first bytes which protocol follows. */
    private void installDeciding(ChannelPipeline p, long serial) {
        if (tls.isPresent()) {
            p.addLast(ConnectionStageNames.TLS_SNI, new ServerNameStage(tls.get(), timeoutMillis));
            p.addLast(ConnectionStageNames.TLS_HANDSHAKE, new TlsHandshakeStage(serial, requestStage, handshakes,
                    tls.get()));
        } else {
            p.addLast(ConnectionStageNames.H2C_PREFACE, new H2cPrefaceStage(serial, requestStage, timeoutMillis));
        }
    }
}
