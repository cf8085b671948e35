package dev.proxyline.server.http.connection;

import dev.proxyline.server.tls.ListenTls;
import dev.proxyline.server.tls.StatusRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import javax.net.ssl.SSLHandshakeException;

/**
 * Netty's {@link SniHandler} (ClientHello deadline, then the same deadline for the handshake), putting the
 * TLS handler in its place under {@link ConnectionStageNames#TLS}, or refusing the handshake with a TLS alert when
 * the server the name selects has {@code ssl_reject_handshake on}.
 */
final class ServerNameStage extends SniHandler {
    /**
     * A fatal unrecognized_name alert, what nginx sends also to a client that sent no name: content type 21, TLS 1.2
     * record version (also TLS 1.3's), length 2, level fatal, description 112.
     */
    private static final byte[] UNRECOGNIZED_NAME = {21, 3, 3, 0, 2, 2, 112};

    /** The most application data one TLS record carries (RFC 8446 §5.1), and SslHandler's default wrap size. */
    private static final int MAX_RECORD = 16384;

    private final ListenTls tls;
    /** Whether the ClientHello asked for the certificate status; read only where a server on the socket staples. */
    private boolean statusRequested;

    ServerNameStage(ListenTls tls, long handshakeTimeoutMillis) {
        super(tls, handshakeTimeoutMillis);
        this.tls = tls;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        if (tls.staples()) statusRequested = StatusRequest.asked(clientHello);
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) {
        if (tls.rejects(hostname)) {
            // The handshake stage counts and logs it as a refused handshake, then closes.
            SSLHandshakeException refused = new SSLHandshakeException("ssl_reject_handshake refused the server name "
                    + (hostname == null ? "(none sent)" : "\"" + hostname + "\""));
            ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME)).addListener(
                    written -> ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(refused)));
            return;
        }
        SslHandler handler = newSslHandler(sslContext, ctx.alloc());
        int recordSize = tls.bufferSize(hostname);
        // Netty's default is nginx's: 16 KiB, a full TLS record.
        if (recordSize != MAX_RECORD) handler.setWrapDataSize(Math.min(recordSize, MAX_RECORD));
        try {
            if (statusRequested) tls.staple(hostname, handler.engine(), ctx.channel());
            ctx.pipeline().replace(this, ConnectionStageNames.TLS, handler);
            handler = null;
        } finally {
            // Not in the pipeline: nobody else would free an OpenSSL engine.
            if (handler != null) ReferenceCountUtil.safeRelease(handler.engine());
        }
    }
}
