package dev.proxyline.server.tls;

import dev.proxyline.config.ClientVerify;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code ssl_verify_client}'s check of a client's certificate chain ({@link ChainVerifier} with the TLS client
 * purpose), with what the handshake needs: the mode and the issuers named in the certificate request. The handshake
 * itself never fails on the certificate: the request is refused later. Plain Java, immutable, shared by every
 * connection.
 */
public final class ClientVerifier {
    private final ClientVerify.Mode mode;
    private final List<X509Certificate> named;
    private final ChainVerifier chains;

    /**
     * @param named   {@code ssl_client_certificate}: trusted, and named to the client as acceptable issuers
     * @param trusted {@code ssl_trusted_certificate}: trusted too
     * @param crls    {@code ssl_crl}; empty for no revocation check
     */
    public ClientVerifier(ClientVerify.Mode mode, List<X509Certificate> named, List<X509Certificate> trusted,
                          List<X509CRL> crls, int depth) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (mode == ClientVerify.Mode.OFF) throw new IllegalArgumentException("nothing to verify with mode off");
        this.named = List.copyOf(named);
        List<X509Certificate> all = new ArrayList<>(named);
        all.addAll(trusted);
        this.chains = new ChainVerifier(all, crls, depth, ChainVerifier.Purpose.TLS_CLIENT);
    }

    public ClientVerify.Mode mode() {
        return mode;
    }

    /** The issuers named in the certificate request ({@code ssl_client_certificate}'s). */
    public List<X509Certificate> named() {
        return named;
    }

    /** The chain verified, from the client's certificate to the trust anchor, for {@code ssl_ocsp} to ask about. */
    public List<X509Certificate> path(List<X509Certificate> chain) {
        return chains.path(chain);
    }

    /** @param chain as the client sent it, its own certificate first; empty when it sent none (nothing fails then) */
    public Optional<VerifyFailure> verify(List<X509Certificate> chain, Instant now) {
        return chain.isEmpty() ? Optional.empty() : chains.verify(chain, now);
    }
}
