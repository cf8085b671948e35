package dev.proxyline.server.tls;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.internal.tcnative.SSL;
import javax.net.ssl.SSLEngine;

/**
 * {@code ssl_session_tickets off} on an OpenSSL context: each engine gets {@code SSL_OP_NO_TICKET}, which in BoringSSL
 * stops both TLS 1.2 tickets and TLS 1.3 session tickets. It has to be per engine: Netty clears that option on every
 * engine that may speak TLS 1.3 (its {@code jdk.tls.server.enableSessionTicketExtension} default), whatever the
 * context says, so an option set on the context has no effect.
 */
final class NoTicketContext extends DelegatingSslContext {
    NoTicketContext(SslContext context) {
        super(context);
    }

    @Override
    protected void initEngine(SSLEngine engine) {
        // The engine was just made from an OpenSSL context (see HandshakeOptions.apply): sslPointer() is its SSL.
        SSL.setOptions(((ReferenceCountedOpenSslEngine) engine).sslPointer(), SSL.SSL_OP_NO_TICKET);
    }
}
