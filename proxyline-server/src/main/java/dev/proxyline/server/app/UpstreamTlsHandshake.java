package dev.proxyline.server.app;

import dev.proxyline.server.http.proxy.UpstreamTls;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * {@code proxy_ssl on} in a stream server, on each connected upstream server: sends the PROXY header of
 * {@code proxy_protocol on} in clear (nginx writes it before its handshake, as a receiving nginx or HAProxy reads it,
 * and again to each server it tries), then makes the TLS handshake within what is left of
 * {@code proxy_connect_timeout}, and with {@code proxy_ssl_verify} checks the server's chain and name. The relay gets
 * the channel only then, and what it writes goes through the TLS handler. A failure is the server's, as for nginx:
 * the next server is tried ({@link GroupConnector}).
 */
final class UpstreamTlsHandshake implements AttemptSetup {
    /** Pipeline name of the TLS handler on an upstream channel. */
    static final String TLS = "upstream-tls";

    private final UpstreamTls tls;
    private final Optional<ProxyHeaderBuilder> send;
    private final Duration connectTimeout;
    private final Clock clock;

    /**
     * @param send           the header of {@code proxy_protocol on}, if set; the relay then sends no preface
     * @param connectTimeout {@code proxy_connect_timeout}
     */
    UpstreamTlsHandshake(UpstreamTls tls, Optional<ProxyHeaderBuilder> send, Duration connectTimeout, Clock clock) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.send = Objects.requireNonNull(send, "send");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Future<Void> prepare(Channel client, Channel upstream, Duration connecting) {
        Promise<Void> promise = upstream.eventLoop().newPromise();
        if (send.isPresent()) {
            // Queued before the TLS handler exists, so it leaves ahead of the ClientHello, in clear.
            byte[] header = StreamService.prefaceBytes(send.get(), SessionContext.of(client));
            upstream.write(Unpooled.wrappedBuffer(header));
        }
        Duration remaining = connectTimeout.minus(connecting);
        SslHandler handler = tls.newHandler(upstream.alloc(), upstream.remoteAddress(),
                remaining.isNegative() || remaining.isZero() ? Duration.ofMillis(1) : remaining);
        upstream.pipeline().addFirst(TLS, handler);
        handler.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                promise.tryFailure(failure(done.cause()));
                return;
            }
            Optional<String> problem = tls.verify(handler.engine().getSession(), clock.millis());
            if (problem.isPresent()) {
                promise.tryFailure(new UpstreamHandshakeException(problem.get(), false));
            } else {
                promise.trySuccess(null);
            }
        });
        upstream.flush();
        return promise;
    }

    /** nginx logs no error for a handshake that timed out, only the server's failure; one line says why here. */
    static UpstreamHandshakeException failure(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return new UpstreamHandshakeException("upstream timed out", true);
        }
        return new UpstreamHandshakeException("SSL_do_handshake() failed (" + innermostMessage(cause) + ")", false);
    }

    private static String innermostMessage(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null) message = t.getMessage();
        }
        return message;
    }
}
