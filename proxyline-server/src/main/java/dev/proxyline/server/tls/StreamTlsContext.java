package dev.proxyline.server.tls;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.server.variables.ClientCertificate;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS of a stream server's {@code listen ... ssl}: one engine context (nginx 1.22's stream module has no
 * {@code server_name}, so the SNI name chooses nothing), how it verifies client certificates, and
 * {@code ssl_handshake_timeout}. Built once at startup and shared by the server's sessions.
 */
public final class StreamTlsContext {
    private final SslContext context;
    private final Optional<ClientVerifier> clients;
    private final Duration handshakeTimeout;

    private StreamTlsContext(SslContext context, Optional<ClientVerifier> clients, Duration handshakeTimeout) {
        this.context = context;
        this.clients = clients;
        this.handshakeTimeout = handshakeTimeout;
    }

    /**
     * Loads the server's certificates (each file once per start, through {@code certificates}) and client CA files,
     * and builds its context, offering {@code alpn} ({@code ssl_alpn}; none: no ALPN is negotiated); every problem is
     * reported at once, each naming its directive's place.
     */
    public static StreamTlsContext build(HttpSettings.Tls tls, Duration handshakeTimeout, List<String> alpn,
                                         TlsPlanner planner, CertificateStore certificates, ServerContexts engines)
            throws TlsSetupException {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        ServerTls settings = planner.settings(tls);
        Optional<ClientVerifier> clients = ClientTrustFiles.load(settings.clientVerify());
        SslContext context = engines.build(settings, certificates.getAll(settings.certificates()), alpn, clients);
        return new StreamTlsContext(context, clients, handshakeTimeout);
    }

    public SslContext context() {
        return context;
    }

    /** How client certificates are verified; empty when {@code ssl_verify_client} is off. */
    public Optional<ClientVerifier> clientVerifier() {
        return clients;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * nginx's stream check once the handshake is done: with {@code ssl_verify_client}, a certificate that did not
     * verify ends the session (with {@code optional_no_ca}, only for other reasons than an unknown issuer), and with
     * {@code on} so does a handshake without one. The result is nginx's error log text.
     */
    public static Optional<String> refusal(ClientVerify.Mode mode, ClientCertificate client) {
        if (mode == ClientVerify.Mode.OFF) return Optional.empty();
        Optional<VerifyFailure> failure = client.failure();
        if (failure.isPresent() && !(mode == ClientVerify.Mode.OPTIONAL_NO_CA && failure.get().issuerUnknown())) {
            return Optional.of("client SSL certificate verify error: " + failure.get().describe());
        }
        if (mode == ClientVerify.Mode.ON && !client.sent()) return Optional.of("client sent no required SSL certificate");
        return Optional.empty();
    }
}
