package dev.proxyline.server.tls;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import javax.net.ssl.SSLEngine;

/** Whether a completed server handshake resumed a session ({@code $ssl_session_reused}). */
public final class SessionReuse {
    private SessionReuse() {
    }

    /**
     * Asks OpenSSL on its engine. The JDK's engine has no such question; a resumed session keeps the creation time
     * of the handshake that made it, earlier than this one's start.
     *
     * @param handshakeStartMillis when this handshake began, epoch milliseconds
     */
    public static boolean reused(SSLEngine engine, long handshakeStartMillis) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            return SSL.isSessionReused(openSsl.sslPointer());
        }
        return engine.getSession().getCreationTime() < handshakeStartMillis;
    }
}
