package dev.proxyline.server.app;

import dev.proxyline.server.http.proxy.UpstreamTls;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import dev.proxyline.server.stream.UpstreamConnector;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * {@code proxy_ssl on} in a stream server: connects as the group's connector does, sends the PROXY header of
 * {@code proxy_protocol on} in clear (nginx writes it before its handshake, as a receiving nginx or HAProxy reads it),
 * then makes the TLS handshake, bounded by {@code proxy_connect_timeout} as nginx bounds it, and with
 * {@code proxy_ssl_verify} checks the upstream's chain and name. The relay gets the channel only then, and what it
 * writes goes through the TLS handler. A failed handshake or check fails the connect: {@code $status} 502, with
 * nginx's words in the error log.
 */
final class TlsUpstreamConnector implements UpstreamConnector {
    /** Pipeline name of the TLS handler on an upstream channel. */
    static final String TLS = "upstream-tls";

    private final UpstreamConnector plain;
    private final UpstreamTls tls;
    private final Optional<ProxyHeaderBuilder> send;
    private final Duration handshakeTimeout;
    private final Clock clock;

    /**
     * @param plain            connects the TCP connection (balancing, retries)
     * @param send             the header of {@code proxy_protocol on}, if set; the relay then sends no preface
     * @param handshakeTimeout {@code proxy_connect_timeout}
     */
    TlsUpstreamConnector(UpstreamConnector plain, UpstreamTls tls, Optional<ProxyHeaderBuilder> send,
                         Duration handshakeTimeout, Clock clock) {
        this.plain = Objects.requireNonNull(plain, "plain");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.send = Objects.requireNonNull(send, "send");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Future<Channel> connect(Channel client) {
        Promise<Channel> promise = client.eventLoop().newPromise();
        plain.connect(client).addListener(connected -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
                return;
            }
            Channel upstream = (Channel) connected.getNow();
            if (send.isPresent()) {
                // Queued before the TLS handler exists, so it leaves ahead of the ClientHello, in clear.
                byte[] header = StreamService.prefaceBytes(send.get(), SessionContext.of(client));
                upstream.write(Unpooled.wrappedBuffer(header));
            }
            InetSocketAddress peer = (InetSocketAddress) upstream.remoteAddress();
            SslHandler handler = tls.newHandler(upstream.alloc(), peer, handshakeTimeout);
            upstream.pipeline().addFirst(TLS, handler);
            handler.handshakeFuture().addListener(done -> {
                String upstreamText = ", upstream: \"" + Addresses.format(peer) + "\"";
                if (!done.isSuccess()) {
                    upstream.close();
                    promise.tryFailure(new UpstreamUnavailableException("SSL_do_handshake() failed ("
                            + innermostMessage(done.cause()) + ") while SSL handshaking to upstream" + upstreamText));
                    return;
                }
                Optional<String> problem = tls.verify(handler.engine().getSession(), clock.millis());
                if (problem.isPresent()) {
                    upstream.close();
                    promise.tryFailure(new UpstreamUnavailableException(problem.get()
                            + " while SSL handshaking to upstream" + upstreamText));
                } else if (!promise.trySuccess(upstream)) {
                    upstream.close();
                }
            });
            upstream.flush();
        });
        return promise;
    }

    private static String innermostMessage(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null) message = t.getMessage();
        }
        return message;
    }
}
