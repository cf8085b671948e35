package dev.proxyline.server.http.proxy;

import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.netty.HandlerNames;
import dev.proxyline.protocol.netty.ProxyHeaderSender;
import dev.proxyline.server.transport.RootCause;
import dev.proxyline.server.upstream.FailureKind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A new connection to one upstream peer, made for an exchange: TCP, then the PROXY header (first and in clear, as
 * nginx sends it), then with {@code https://} the TLS handshake and the certificate check. The exchange hears once:
 * the connection is usable, or why not, in nginx's words.
 */
final class UpstreamDial {
    /** The upstream's HTTP/1 codec: removed when the connection switches protocols. */
    static final String CLIENT_CODEC = "http-upstream-codec";
    private static final String UPSTREAM_TLS = "http-upstream-tls";

    /** What the exchange learns, on the client's event loop. */
    interface Outcome {
        /** The exchange ended while the connection was being made: it is closed unused. */
        boolean abandoned();

        /** {@code upstream} is ready for the request; {@code handler} receives its events. */
        void connected(Channel upstream);

        /**
         * No connection: {@code logged} for the error log (nginx's words, the peer not yet named), {@code reason}
         * counted, {@code told} for the client's answer.
         */
        void notConnected(FailureKind kind, String logged, HttpCounters.Reason reason, String told);
    }

    private UpstreamDial() {}

    /**
     * Connects {@code client}'s exchange to {@code address}; {@code handler} is the new connection's last stage.
     *
     * @param verifyAt the wall clock in milliseconds, for the certificate's validity
     */
    static void open(Channel client, LocationPlan.Forward forward, SocketAddress address,
                     Optional<ProxyHeader> header, UpstreamHandler handler, LongSupplier verifyAt,
                     Outcome outcome) {
        Optional<UpstreamTls> tls = forward.tls();
        ChannelFuture connect;
        try {
            // An accepted socket's parent is its listener; an HTTP/2 stream's parent is the socket, whose
            // transport the upstream connection must share.
            Channel socket = client.parent() == null || client.parent() instanceof ServerChannel ? client : client.parent();
            connect = forward.bootstrap().connect(socket, address, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    header.ifPresent(h -> ch.pipeline().addLast(HandlerNames.PROXY_SEND, new ProxyHeaderSender(h)));
                    // After the PROXY header, which goes first in clear, as nginx sends it.
                    if (tls.isPresent()) {
                        ch.pipeline().addLast(UPSTREAM_TLS, tls.get().newHandler(ch.alloc(), address,
                                forward.bootstrap().options().connectTimeout()));
                    }
                    ch.pipeline().addLast(CLIENT_CODEC, new HttpClientCodec());
                    ch.pipeline().addLast(handler);
                }
            });
        } catch (RuntimeException e) {
            connectFailed(e, outcome);
            return;
        }
        connect.addListener(done -> {
            if (outcome.abandoned()) {
                connect.channel().close();
            } else if (!done.isSuccess()) {
                connectFailed(done.cause(), outcome);
            } else if (tls.isPresent()) {
                awaitHandshake(connect.channel(), tls.get(), handler, verifyAt, outcome);
            } else {
                outcome.connected(connect.channel());
            }
        });
    }

    /**
     * The TCP connection is made; it is the upstream's once the handshake is done and, with
     * {@code proxy_ssl_verify on}, the certificate checked. A failure of either is an error of the attempt, as a
     * refused connect is: the next upstream is tried.
     */
    private static void awaitHandshake(Channel channel, UpstreamTls tls, UpstreamHandler handler,
                                       LongSupplier verifyAt, Outcome outcome) {
        SslHandler ssl = (SslHandler) channel.pipeline().get(UPSTREAM_TLS);
        ssl.handshakeFuture().addListener(done -> {
            if (outcome.abandoned()) {
                channel.close();
                return;
            }
            if (!done.isSuccess()) {
                // The closing connection's events are not the exchange's any more: the attempt fails here.
                handler.detach();
                channel.close();
                Throwable cause = done.cause();
                boolean timeout = cause instanceof SslHandshakeTimeoutException;
                // Netty's message for bytes that are not TLS carries them all, in hex: OpenSSL's words instead.
                String why = RootCause.of(cause) instanceof NotSslRecordException
                        ? "SSL: wrong version number, the upstream does not speak TLS" : RootCause.message(cause);
                outcome.notConnected(timeout ? FailureKind.TIMEOUT : FailureKind.ERROR, timeout
                        ? "upstream timed out (" + why + ") while SSL handshaking to upstream"
                        : "SSL_do_handshake() failed (" + why + ") while SSL handshaking to upstream",
                        timeout ? HttpCounters.Reason.UPSTREAM_TIMEOUT : HttpCounters.Reason.UPSTREAM_TLS,
                        (timeout ? "upstream timed out" : "no TLS connection could be made to an upstream")
                                + " (" + why + ")");
                return;
            }
            Optional<String> refused = tls.verify(ssl.engine().getSession(), verifyAt.getAsLong());
            if (refused.isPresent()) {
                handler.detach();
                channel.close();
                outcome.notConnected(FailureKind.ERROR, refused.get() + " while SSL handshaking to upstream",
                        HttpCounters.Reason.UPSTREAM_TLS, refused.get());
                return;
            }
            outcome.connected(channel);
        });
    }

    private static void connectFailed(Throwable cause, Outcome outcome) {
        boolean timeout = cause instanceof ConnectTimeoutException;
        String why = RootCause.message(cause);
        outcome.notConnected(timeout ? FailureKind.TIMEOUT : FailureKind.ERROR,
                (timeout ? "upstream timed out" : "connect() failed") + " (" + why + ") while connecting to upstream",
                timeout ? HttpCounters.Reason.UPSTREAM_TIMEOUT : HttpCounters.Reason.UPSTREAM_FAILED,
                (timeout ? "upstream timed out" : "no upstream could be connected") + " (" + why + ")");
    }
}
