package dev.proxyline.server.variables;

import java.util.Objects;

/**
 * What the TLS handshake of a stream session ({@code listen ... ssl}) settled, for the stream module's
 * {@code $ssl_*} variables.
 *
 * @param facts  protocol, cipher, SNI name and client certificate, as the http side keeps them
 * @param reused the session was resumed ({@code $ssl_session_reused} is {@code r}), not newly negotiated
 */
public record SessionTls(TlsFacts facts, boolean reused) {
    public SessionTls {
        Objects.requireNonNull(facts, "facts");
    }
}
