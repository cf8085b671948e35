package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import dev.proxyline.server.tls.CipherNames;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * Sits after the TLS handler until the handshake ends: on success installs HTTP/2 when ALPN agreed on
 * {@code h2}, HTTP/1.1 otherwise, with the handshake's facts; on failure counts, logs once and closes.
 * Holds back {@code channelActive} so that the request stage sees it only once it is in place.
 */
final class TlsHandshakeStage extends ChannelInboundHandlerAdapter {
    private final long serial;
    private final RequestStage requestStage;
    private final TlsHandshakes handshakes;
    private Optional<String> serverName = Optional.empty();
    private boolean activeHeld;
    private boolean failed;

    TlsHandshakeStage(long serial, RequestStage requestStage, TlsHandshakes handshakes) {
        this.serial = serial;
        this.requestStage = requestStage;
        this.handshakes = handshakes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activeHeld = true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent sni) {
            // Fails when no ClientHello came in time; Netty then closes without any other event.
            if (sni.isSuccess()) {
                serverName = Optional.ofNullable(sni.hostname());
            } else {
                fail(ctx, sni.cause());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                completed(ctx);
            } else {
                fail(ctx, done.cause());
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void completed(ChannelHandlerContext ctx) {
        handshakes.handshakeCompleted();
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        SSLSession session = tls.engine().getSession();
        Optional<String> alpn = Optional.ofNullable(tls.applicationProtocol());
        TlsFacts facts = new TlsFacts(session.getProtocol(), CipherNames.openSsl(session.getCipherSuite()), serverName,
                alpn);
        String protocol = alpn.filter(ApplicationProtocolNames.HTTP_2::equals).isPresent()
                ? HttpConnection.HTTP_2 : HttpConnection.HTTP_1_1;
        StageSwitch.switchTo(ctx, protocol, serial, Optional.of(facts), requestStage, activeHeld);
    }

    /** Once per connection: the handler and the engine may both report the same failure. */
    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed) {
            failed = true;
            handshakes.handshakeFailed(ctx.channel().remoteAddress(),
                    Optional.ofNullable(ctx.channel().attr(ProxyAttributes.CONNECTION).get()), cause);
        }
        ctx.close();
    }
}
