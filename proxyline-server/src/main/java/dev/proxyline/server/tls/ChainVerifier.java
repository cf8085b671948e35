package dev.proxyline.server.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a peer's certificate chain as nginx has OpenSSL do it, for client certificates ({@code ssl_verify_client})
 * and upstream ones ({@code proxy_ssl_verify}): a path from the peer's certificate through the certificates it sent to
 * a trusted one, at most {@code depth} certificates in between; CA and purpose checks, revocation when there are
 * revocation lists, then signatures and validity. nginx's verify callback lets OpenSSL go on after each problem, and
 * the result is the last problem found; so is it here. Plain Java, immutable, shared by every connection.
 */
public final class ChainVerifier {
    /** Which side of TLS the peer's certificate must be for (OpenSSL's purpose check). */
    public enum Purpose {
        /** A client's certificate: extended key usage clientAuth; key usage for signatures or key agreement. */
        TLS_CLIENT("1.3.6.1.5.5.7.3.2", new int[] {0, 4}),
        /** A server's certificate: serverAuth; key usage for signatures, key encipherment or key agreement. */
        TLS_SERVER("1.3.6.1.5.5.7.3.1", new int[] {0, 2, 4});

        private final String extendedUsage;
        private final int[] keyUsageBits;

        Purpose(String extendedUsage, int[] keyUsageBits) {
            this.extendedUsage = extendedUsage;
            this.keyUsageBits = keyUsageBits;
        }
    }

    private static final String ANY_USAGE = "2.5.29.37.0";

    private final List<X509Certificate> trusted;
    private final List<X509CRL> crls;
    private final int depth;
    private final Purpose purpose;

    /**
     * @param trusted the trusted certificates
     * @param crls    revocation lists; when there are any, every certificate of the chain needs its issuer's, as nginx
     *                asks OpenSSL for (CRL_CHECK and CRL_CHECK_ALL)
     * @param depth   at most this many certificates between the peer's and a trusted one (OpenSSL's count)
     */
    public ChainVerifier(List<X509Certificate> trusted, List<X509CRL> crls, int depth, Purpose purpose) {
        if (depth < 0) throw new IllegalArgumentException("depth " + depth);
        this.trusted = List.copyOf(trusted);
        this.crls = List.copyOf(crls);
        this.depth = depth;
        this.purpose = java.util.Objects.requireNonNull(purpose, "purpose");
    }

    /** Empty when {@code chain} (as the peer sent it, its own certificate first; not empty) verifies at {@code now}. */
    public Optional<VerifyFailure> verify(List<X509Certificate> chain, Instant now) {
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate to verify");
        VerifyFailure[] last = new VerifyFailure[1];
        List<X509Certificate> path = new ArrayList<>();
        boolean anchored = build(chain, path, last);
        checkExtensions(path, anchored, last);
        if (!crls.isEmpty()) checkRevocation(path, anchored, now, last);
        checkSignaturesAndTimes(path, anchored, now, last);
        return Optional.ofNullable(last[0]);
    }

    /**
     * The path {@link #verify} follows from {@code chain} (not empty): the peer's certificate first, then its issuers,
     * the trust anchor last when one was reached.
     */
    public List<X509Certificate> path(List<X509Certificate> chain) {
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate to verify");
        List<X509Certificate> path = new ArrayList<>();
        build(chain, path, new VerifyFailure[1]);
        return path;
    }

    /**
     * From the peer's certificate up: a trusted issuer first, else one the peer sent; a trusted certificate is
     * followed to a self-signed one. At most {@code depth} certificates between the peer's and the trust anchor
     * (OpenSSL's count); the path found so far says what went wrong when no anchor is reached.
     */
    private boolean build(List<X509Certificate> sent, List<X509Certificate> path, VerifyFailure[] last) {
        X509Certificate current = sent.get(0);
        path.add(current);
        boolean inTrust = trusted.contains(current); // a peer certificate trusted as it is
        while (true) {
            if (selfSigned(current)) {
                if (inTrust) return true;
                last[0] = path.size() == 1 ? VerifyFailure.DEPTH_ZERO_SELF_SIGNED_CERT : VerifyFailure.SELF_SIGNED_CERT_IN_CHAIN;
                return false;
            }
            Optional<X509Certificate> issuer = issuerIn(current, trusted);
            boolean trustedIssuer = issuer.isPresent();
            if (!inTrust && issuer.isEmpty()) issuer = issuerIn(current, sent.subList(1, sent.size()));
            if (issuer.isEmpty() || path.size() - 1 > depth || path.contains(issuer.get())) {
                if (inTrust) {
                    last[0] = VerifyFailure.UNABLE_TO_GET_ISSUER_CERT;
                } else {
                    last[0] = path.size() == 1 ? VerifyFailure.UNABLE_TO_VERIFY_LEAF_SIGNATURE
                            : VerifyFailure.UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
                }
                return false;
            }
            current = issuer.get();
            path.add(current);
            inTrust |= trustedIssuer;
        }
    }

    /**
     * As OpenSSL's purpose checks: every certificate above the peer's must be a CA (and may sign certificates, if it
     * says what its key is for); none may be limited to other uses than the peer's (extended key usage); the peer's own
     * key, if it says what it is for, must allow what the purpose needs.
     */
    private void checkExtensions(List<X509Certificate> path, boolean anchored, VerifyFailure[] last) {
        int top = anchored ? path.size() - 1 : path.size();
        for (int i = 0; i < top; i++) {
            X509Certificate c = path.get(i);
            boolean[] keyUsage = c.getKeyUsage();
            if (i > 0 && ((c.getBasicConstraints() < 0 && c.getVersion() >= 3) || !allows(keyUsage, KEY_CERT_SIGN))) {
                last[0] = VerifyFailure.INVALID_CA;
            }
            if (!extendedUsageAllows(c) || (i == 0 && !allows(keyUsage, purpose.keyUsageBits))) {
                last[0] = VerifyFailure.INVALID_PURPOSE;
            }
        }
    }

    private static final int[] KEY_CERT_SIGN = {5};

    /** A key usage that is not given allows everything. */
    private static boolean allows(boolean[] keyUsage, int[] anyOf) {
        if (keyUsage == null) return true;
        for (int bit : anyOf) {
            if (keyUsage.length > bit && keyUsage[bit]) return true;
        }
        return false;
    }

    private boolean extendedUsageAllows(X509Certificate c) {
        try {
            List<String> usages = c.getExtendedKeyUsage();
            return usages == null || usages.contains(purpose.extendedUsage) || usages.contains(ANY_USAGE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** nginx turns on OpenSSL's CRL_CHECK and CRL_CHECK_ALL: every certificate needs its issuer's list. */
    private void checkRevocation(List<X509Certificate> path, boolean anchored, Instant now, VerifyFailure[] last) {
        int top = anchored ? path.size() - 1 : path.size();
        Date when = Date.from(now);
        for (int i = 0; i < top; i++) {
            X509Certificate c = path.get(i);
            Optional<X509Certificate> issuer = i + 1 < path.size() ? Optional.of(path.get(i + 1))
                    : selfSigned(c) ? Optional.of(c) : Optional.empty();
            Optional<X509CRL> crl = crlFor(c, issuer, last);
            if (crl.isEmpty()) {
                last[0] = VerifyFailure.UNABLE_TO_GET_CRL;
                continue;
            }
            if (crl.get().getThisUpdate().after(when)) last[0] = VerifyFailure.CRL_NOT_YET_VALID;
            if (crl.get().getNextUpdate() != null && crl.get().getNextUpdate().before(when)) {
                last[0] = VerifyFailure.CRL_HAS_EXPIRED;
            }
            if (crl.get().isRevoked(c)) last[0] = VerifyFailure.CERT_REVOKED;
        }
    }

    private Optional<X509CRL> crlFor(X509Certificate c, Optional<X509Certificate> issuer, VerifyFailure[] last) {
        if (issuer.isEmpty()) return Optional.empty();
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(c.getIssuerX500Principal())) continue;
            try {
                crl.verify(issuer.get().getPublicKey());
                return Optional.of(crl);
            } catch (GeneralSecurityException e) {
                last[0] = VerifyFailure.CRL_SIGNATURE_FAILURE;
            }
        }
        return Optional.empty();
    }

    /** From the top down, as OpenSSL's internal_verify: validity of each, and each signature by the one above. */
    private static void checkSignaturesAndTimes(List<X509Certificate> path, boolean anchored, Instant now,
                                                VerifyFailure[] last) {
        Date when = Date.from(now);
        for (int i = path.size() - 1; i >= 0; i--) {
            X509Certificate c = path.get(i);
            if (i + 1 < path.size() && !signedBy(c, path.get(i + 1))) last[0] = VerifyFailure.CERT_SIGNATURE_FAILURE;
            if (c.getNotBefore().after(when)) last[0] = VerifyFailure.CERT_NOT_YET_VALID;
            if (c.getNotAfter().before(when)) last[0] = VerifyFailure.CERT_HAS_EXPIRED;
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
