package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import dev.proxyline.server.tls.ClientOcspCheck;
import dev.proxyline.server.tls.ClientVerifier;
import dev.proxyline.server.tls.HandshakeWatch;
import dev.proxyline.server.tls.ListenTls;
import dev.proxyline.server.tls.OcspVerdict;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sits after the TLS handler until the handshake ends: on success installs HTTP/2 when ALPN agreed on
 * {@code h2}, HTTP/1.1 otherwise, with the handshake's facts; on failure counts, logs once and closes.
 * Holds back {@code channelActive} so that the request stage sees it only once it is in place. Where the server has
 * {@code ssl_ocsp} and the client's certificate verified, the responders are asked first, as nginx does before it
 * reads a request: meanwhile the socket is not read and what TLS already decrypted is held, then handed on.
 */
final class TlsHandshakeStage extends HandshakeWatch {
    private final long serial;
    private final RequestStage requestStage;
    private final TlsHandshakes handshakes;
    private final ListenTls tls;
    private boolean activeHeld;
    private boolean failed;
    /** What came in while the OCSP check ran; {@code null} when none runs. */
    private List<Object> held;

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
        String serverName = serverName().orElse(null);
        Optional<ClientVerifier> verifier = tls.clientVerifier(serverName);
        TlsFacts facts = facts(handler, verifier);
        if (verifier.isPresent() && facts.client().sent() && facts.client().failure().isEmpty()) {
            Optional<ClientOcspCheck> ocsp = tls.ocspCheck(serverName);
            if (ocsp.isPresent()) {
                checkOcsp(ctx, ocsp.get(), verifier.get(), facts);
                return;
            }
        }
        switchTo(ctx, facts);
    }

    private void checkOcsp(ChannelHandlerContext ctx, ClientOcspCheck check, ClientVerifier verifier, TlsFacts facts) {
        held = new ArrayList<>();
        ctx.channel().config().setAutoRead(false);
        check.check(verifier.path(facts.client().chain()), ctx.channel()).addListener((Future<OcspVerdict> done) -> {
            if (ctx.isRemoved() || !ctx.channel().isActive()) return; // the client left meanwhile
            ctx.channel().config().setAutoRead(true);
            switchTo(ctx, new TlsFacts(facts.protocol(), facts.cipher(), facts.serverName(), facts.alpn(),
                    facts.client().withOcsp(done.getNow())));
        });
    }

    private void switchTo(ChannelHandlerContext ctx, TlsFacts facts) {
        String protocol = facts.alpn().filter(ApplicationProtocolNames.HTTP_2::equals).isPresent()
                ? HttpConnection.HTTP_2 : HttpConnection.HTTP_1_1;
        StageSwitch.switchTo(ctx, protocol, serial, Optional.of(facts), requestStage, activeHeld);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            held.add(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (held == null) ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    /** Leaving for the HTTP stage: what was held follows, to the handlers now after this one. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held == null || !ctx.channel().isActive()) {
            release();
            return;
        }
        List<Object> messages = held;
        held = null;
        for (Object m : messages) ctx.fireChannelRead(m);
        if (!messages.isEmpty()) ctx.fireChannelReadComplete();
    }

    private void release() {
        if (held == null) return;
        held.forEach(ReferenceCountUtil::release);
        held = null;
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
