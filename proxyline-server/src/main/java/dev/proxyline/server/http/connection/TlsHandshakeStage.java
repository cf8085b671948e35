package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import dev.proxyline.server.tls.CipherNames;
import dev.proxyline.server.tls.ClientVerifier;
import dev.proxyline.server.tls.ListenTls;
import dev.proxyline.server.variables.ClientCertificate;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
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
 * Sits after the TLS handler until the handshake ends: on success installs HTTP/2 when ALPN agreed on
 * {@code h2}, HTTP/1.1 otherwise, with the handshake's facts; on failure counts, logs once and closes.
 * Holds back {@code channelActive} so that the request stage sees it only once it is in place.
 */
final class TlsHandshakeStage extends ChannelInboundHandlerAdapter {
    private final long serial;
    private final RequestStage requestStage;
    private final TlsHandshakes handshakes;
    private final ListenTls tls;
    private Optional<String> serverName = Optional.empty();
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
        SslHandler handler = ctx.pipeline().get(SslHandler.class);
        SSLSession session = handler.engine().getSession();
        Optional<String> alpn = Optional.ofNullable(handler.applicationProtocol());
        Optional<ClientVerifier> verifier = tls.clientVerifier(serverName.orElse(null));
        ClientCertificate client = ClientCertificate.NOT_REQUESTED;
        if (verifier.isPresent()) {
            List<X509Certificate> chain = peerChain(session);
            client = new ClientCertificate(chain, verifier.get().verify(chain, Instant.now()));
        }
        TlsFacts facts = new TlsFacts(session.getProtocol(), CipherNames.openSsl(session.getCipherSuite()), serverName,
                alpn, client);
        String protocol = alpn.filter(ApplicationProtocolNames.HTTP_2::equals).isPresent()
                ? HttpConnection.HTTP_2 : HttpConnection.HTTP_1_1;
        StageSwitch.switchTo(ctx, protocol, serial, Optional.of(facts), requestStage, activeHeld);
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
