package dev.proxyline.server.variables;

import java.util.Objects;
import java.util.Optional;

/**
 * What the TLS handshake of a stream session ({@code listen ... ssl}) settled, for the stream module's
 * {@code $ssl_*} variables; for a handshake that failed, what of it nginx's variables still show.
 *
 * @param facts     protocol, cipher, SNI name and client certificate, as the http side keeps them
 * @param reused    the session was resumed ({@code $ssl_session_reused} is {@code r}), not newly negotiated
 * @param sessionId the engine's session id ({@code $ssl_session_id}); empty when it has none
 */
public record SessionTls(TlsFacts facts, boolean reused, byte[] sessionId) {
    /** OpenSSL's name for the cipher of a handshake that chose none, as nginx logs it. */
    static final String NO_CIPHER = "(NONE)";

    public SessionTls {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /** A completed handshake without a session id. */
    public SessionTls(TlsFacts facts, boolean reused) {
        this(facts, reused, new byte[0]);
    }

    /**
     * A handshake that failed: as in nginx, {@code $ssl_cipher} is {@code (NONE)}, {@code $ssl_session_reused}
     * {@code .}, {@code $ssl_client_verify} {@code NONE}, and {@code $ssl_server_name} the name of the ClientHello if
     * one was read. {@code $ssl_protocol} is not found: nginx shows what OpenSSL had set by then (the version offered,
     * or its highest without a hello), which no other engine reproduces.
     */
    public static SessionTls failed(Optional<String> serverName) {
        return new SessionTls(new TlsFacts("", NO_CIPHER, serverName, Optional.empty()), false);
    }
}
