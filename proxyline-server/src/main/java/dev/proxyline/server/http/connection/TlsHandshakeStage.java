package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import dev.proxyline.server.tls.HandshakeWatch;
import dev.proxyline.server.tls.ListenTls;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.util.Optional;

/**
 * Sits after the TLS handler until the handshake ends: on success installs HTTP/2 when ALPN agreed on
 * {@code h2}, HTTP/1.1 otherwise, with the handshake's facts; on failure counts, logs once and closes.
 * Holds back {@code channelActive} so that the request stage sees it only once it is in place.
 */
final class TlsHandshakeStage extends HandshakeWatch {
    private final long serial;
    private final RequestStage requestStage;
    private final TlsHandshakes handshakes;
    private final ListenTls tls;
    private boolean activeHeld;
    private boolean failed;

    TlsHandshakeStage(long serial, RequestStage requestStage, TlsHandshakes handshakes, ListenTls tls) {
        this.serial = serial;
        this.tls = tls;
        this.requestStage = requestStage;
        this.handshakes = handshakes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activeHeld = true;
    }

    @Override
    protected void completed(ChannelHandlerContext ctx) {
        handshakes.handshakeCompleted();
        SslHandler handler = ctx.pipeline().get(SslHandler.class);
        TlsFacts facts = facts(handler, tls.clientVerifier(serverName().orElse(null)));
        String protocol = facts.alpn().filter(ApplicationProtocolNames.HTTP_2::equals).isPresent()
                ? HttpConnection.HTTP_2 : HttpConnection.HTTP_1_1;
        StageSwitch.switchTo(ctx, protocol, serial, Optional.of(facts), requestStage, activeHeld);
    }

    /** Once per connection: the handler and the engine may both report the same failure. */
    @Override
    protected void failed(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed) {
            failed = true;
            handshakes.handshakeFailed(ctx.channel().remoteAddress(),
                    Optional.ofNullable(ctx.channel().attr(ProxyAttributes.CONNECTION).get()), cause);
        }
        ctx.close();
    }
}
