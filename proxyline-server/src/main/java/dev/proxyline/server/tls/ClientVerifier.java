package dev.proxyline.server.tls;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.server.variables.ClientCertificate;
import dev.proxyline.server.variables.ClientCertificate.Failure;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a client's certificate chain as nginx has OpenSSL do it for {@code ssl_verify_client}: a path from the
 * client's certificate through the certificates it sent to a trusted one, at most {@code ssl_verify_depth}
 * certificates in between; CA and purpose checks, revocation when {@code ssl_crl} is set, then signatures and
 * validity. nginx's verify callback lets OpenSSL go on after each problem, and the result is the last problem
 * found; so is it here. The handshake itself never fails on the certificate: the request is refused later.
 * Plain Java, immutable, shared by every connection.
 */
public final class ClientVerifier {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";

    private final ClientVerify.Mode mode;
    private final List<X509Certificate> named;
    private final List<X509Certificate> trusted;
    private final List<X509CRL> crls;
    private final int depth;

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
        this.trusted = List.copyOf(all);
        this.crls = List.copyOf(crls);
        this.depth = depth;
    }

    public ClientVerify.Mode mode() {
        return mode;
    }

    /** The issuers named in the certificate request ({@code ssl_client_certificate}'s). */
    public List<X509Certificate> named() {
        return named;
    }

    /** @param chain as the client sent it, its own certificate first; empty when it sent none */
    public ClientCertificate verify(List<X509Certificate> chain, Instant now) {
        if (chain.isEmpty()) return new ClientCertificate(List.of(), Optional.empty());
        Failure[] last = new Failure[1];
        List<X509Certificate> path = new ArrayList<>();
        boolean anchored = build(chain, path, last);
        checkExtensions(path, anchored, last);
        if (!crls.isEmpty()) checkRevocation(path, anchored, now, last);
        checkSignaturesAndTimes(path, anchored, now, last);
        return new ClientCertificate(chain, Optional.ofNullable(last[0]));
    }

    /**
     * From the client's certificate up: a trusted issuer first, else one the client sent; a trusted certificate is
     * followed to a self-signed one. At most {@code depth} certificates between the client's and the trust anchor
     * (OpenSSL's count); the path found so far says what went wrong when no anchor is reached.
     */
    private boolean build(List<X509Certificate> sent, List<X509Certificate> path, Failure[] last) {
        X509Certificate current = sent.get(0);
        path.add(current);
        boolean inTrust = trusted.contains(current); // a client certificate trusted as it is
        while (true) {
            if (selfSigned(current)) {
                if (inTrust) return true;
                last[0] = path.size() == 1 ? Failure.DEPTH_ZERO_SELF_SIGNED_CERT : Failure.SELF_SIGNED_CERT_IN_CHAIN;
                return false;
            }
            Optional<X509Certificate> issuer = issuerIn(current, trusted);
            boolean trustedIssuer = issuer.isPresent();
            if (!inTrust && issuer.isEmpty()) issuer = issuerIn(current, sent.subList(1, sent.size()));
            if (issuer.isEmpty() || path.size() - 1 > depth || path.contains(issuer.get())) {
                if (inTrust) {
                    last[0] = Failure.UNABLE_TO_GET_ISSUER_CERT;
                } else {
                    last[0] = path.size() == 1 ? Failure.UNABLE_TO_VERIFY_LEAF_SIGNATURE
                            : Failure.UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
                }
                return false;
            }
            current = issuer.get();
            path.add(current);
            inTrust |= trustedIssuer;
        }
    }

    /** Every certificate above the client's must be a CA; none may be limited to other purposes than client auth. */
    private static void checkExtensions(List<X509Certificate> path, boolean anchored, Failure[] last) {
        int top = anchored ? path.size() - 1 : path.size();
        for (int i = 0; i < top; i++) {
            X509Certificate c = path.get(i);
            if (i > 0 && c.getBasicConstraints() < 0 && c.getVersion() >= 3) last[0] = Failure.INVALID_CA;
            if (!forClientAuth(c)) last[0] = Failure.INVALID_PURPOSE;
        }
    }

    private static boolean forClientAuth(X509Certificate c) {
        try {
            List<String> usages = c.getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) return false;
        } catch (CertificateParsingException e) {
            return false;
        }
        boolean[] keyUsage = c.getKeyUsage();
        // OpenSSL's TLS client purpose: a key usage, if given, must allow signatures or key agreement.
        return keyUsage == null || (keyUsage.length > 0 && keyUsage[0]) || (keyUsage.length > 4 && keyUsage[4]);
    }

    /** nginx turns on OpenSSL's CRL_CHECK and CRL_CHECK_ALL: every certificate needs its issuer's list. */
    private void checkRevocation(List<X509Certificate> path, boolean anchored, Instant now, Failure[] last) {
        int top = anchored ? path.size() - 1 : path.size();
        Date when = Date.from(now);
        for (int i = 0; i < top; i++) {
            X509Certificate c = path.get(i);
            Optional<X509Certificate> issuer = i + 1 < path.size() ? Optional.of(path.get(i + 1))
                    : selfSigned(c) ? Optional.of(c) : Optional.empty();
            Optional<X509CRL> crl = crlFor(c, issuer, last);
            if (crl.isEmpty()) {
                last[0] = Failure.UNABLE_TO_GET_CRL;
                continue;
            }
            if (crl.get().getThisUpdate().after(when)) last[0] = Failure.CRL_NOT_YET_VALID;
            if (crl.get().getNextUpdate() != null && crl.get().getNextUpdate().before(when)) {
                last[0] = Failure.CRL_HAS_EXPIRED;
            }
            if (crl.get().isRevoked(c)) last[0] = Failure.CERT_REVOKED;
        }
    }

    private Optional<X509CRL> crlFor(X509Certificate c, Optional<X509Certificate> issuer, Failure[] last) {
        if (issuer.isEmpty()) return Optional.empty();
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(c.getIssuerX500Principal())) continue;
            try {
                crl.verify(issuer.get().getPublicKey());
                return Optional.of(crl);
            } catch (GeneralSecurityException e) {
                last[0] = Failure.CRL_SIGNATURE_FAILURE;
            }
        }
        return Optional.empty();
    }

    /** From the top down, as OpenSSL's internal_verify: validity of each, and each signature by the one above. */
    private static void checkSignaturesAndTimes(List<X509Certificate> path, boolean anchored, Instant now,
                                                Failure[] last) {
        Date when = Date.from(now);
        for (int i = path.size() - 1; i >= 0; i--) {
            X509Certificate c = path.get(i);
            if (i + 1 < path.size() && !signedBy(c, path.get(i + 1))) last[0] = Failure.CERT_SIGNATURE_FAILURE;
            if (c.getNotBefore().after(when)) last[0] = Failure.CERT_NOT_YET_VALID;
            if (c.getNotAfter().before(when)) last[0] = Failure.CERT_HAS_EXPIRED;
        }
    }

    /** An issuer by name among {@code candidates}, preferring one whose key verifies the signature. */
    private static Optional<X509Certificate> issuerIn(X509Certificate c, List<X509Certificate> candidates) {
        X509Certificate byName = null;
        for (X509Certificate candidate : candidates) {
            if (!candidate.getSubjectX500Principal().equals(c.getIssuerX500Principal())) continue;
            if (signedBy(c, candidate)) return Optional.of(candidate);
            if (byName == null) byName = candidate;
        }
        return Optional.ofNullable(byName);
    }

    private static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
