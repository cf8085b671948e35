package dev.proxyline.server.tls;

import dev.proxyline.server.variables.ClientCertificate;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Sits behind a server's TLS handler, which Netty's {@code SniHandler} put in its place, until the handshake ends,
 * and turns Netty's events into the two outcomes both the http and the stream side act on: the handshake completed
 * (with the SNI name the hello carried), or it failed (the hello did not come in time, the engine refused it, the
 * pipeline failed). What each side then does is its own.
 */
public abstract class HandshakeWatch extends ChannelInboundHandlerAdapter {
    private Optional<String> serverName = Optional.empty();

    /** The handshake completed; the TLS handler is in the pipeline. */
    protected abstract void completed(ChannelHandlerContext ctx);

    /** The handshake failed; may be told more than once (the handler and the engine may both report it). */
    protected abstract void failed(ChannelHandlerContext ctx, Throwable cause);

    /** An event of another kind: passed on unless a side needs it. */
    protected void otherEvent(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
    }

    /** The SNI name of the ClientHello, lower-cased; empty before it was read or when it carried none. */
    protected final Optional<String> serverName() {
        return serverName;
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent sni) {
            // Fails when no ClientHello came in time; Netty then closes without another event.
            if (sni.isSuccess()) {
                serverName = Optional.ofNullable(sni.hostname());
            } else {
                failed(ctx, sni.cause());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent result) {
            if (result.isSuccess()) {
                completed(ctx);
            } else {
                failed(ctx, result.cause());
            }
        } else {
            otherEvent(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(ctx, cause);
    }

    /**
     * What the completed handshake of {@code handler} settled, the client's certificate checked by {@code verifier}
     * when there is one.
     */
    protected final TlsFacts facts(SslHandler handler, Optional<ClientVerifier> verifier) {
        SSLSession session = handler.engine().getSession();
        ClientCertificate client = ClientCertificate.NOT_REQUESTED;
        if (verifier.isPresent()) {
            List<X509Certificate> chain = peerChain(session);
            client = new ClientCertificate(chain, verifier.get().verify(chain, Instant.now()));
        }
        return new TlsFacts(session.getProtocol(), CipherNames.openSsl(session.getCipherSuite()), serverName,
                Optional.ofNullable(handler.applicationProtocol()), client);
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) chain.add(x);
            }
            return chain;
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }
}
