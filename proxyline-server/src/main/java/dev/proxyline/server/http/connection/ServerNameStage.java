package dev.proxyline.server.http.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's {@link SniHandler} (ClientHello deadline, then the same deadline for the handshake), putting the
 * TLS handler in its place under {@link ConnectionStageNames#TLS}.
 */
final class ServerNameStage extends SniHandler {
    ServerNameStage(Mapping<? super String, ? extends SslContext> mapping, long handshakeTimeoutMillis) {
        super(mapping, handshakeTimeoutMillis);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) {
        SslHandler tls = newSslHandler(sslContext, ctx.alloc());
        try {
            ctx.pipeline().replace(this, ConnectionStageNames.TLS, tls);
            tls = null;
        } finally {
            // Not in the pipeline: nobody else would free an OpenSSL engine.
            if (tls != null) ReferenceCountUtil.safeRelease(tls.engine());
        }
    }
}
