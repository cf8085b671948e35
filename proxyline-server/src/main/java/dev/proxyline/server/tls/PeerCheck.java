package dev.proxyline.server.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code proxy_ssl_verify on}: whether an upstream's certificate chain leads to a trusted certificate
 * ({@code proxy_ssl_trusted_certificate}) within {@code proxy_ssl_verify_depth} intermediate certificates, and, with
 * {@code proxy_ssl_crl}, is not revoked. A failure is told as OpenSSL's verify result, which nginx logs:
 * {@code (20:unable to get local issuer certificate)}. Plain Java, no network.
 */
public final class PeerCheck {
    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> trusted;
    private final List<CRL> crls;
    private final int depth;

    /**
     * @param trusted the trusted certificates (not empty)
     * @param crls    revocation lists; when there are any, every certificate of the chain needs its issuer's, as
     *                nginx asks OpenSSL for
     * @param depth   at most this many intermediate certificates between the upstream's and a trusted one
     */
    public PeerCheck(List<X509Certificate> trusted, List<CRL> crls, int depth) {
        if (trusted.isEmpty()) throw new IllegalArgumentException("no trusted certificate");
        if (depth < 0) throw new IllegalArgumentException("depth " + depth);
        this.trusted = List.copyOf(trusted);
        this.crls = List.copyOf(crls);
        this.depth = depth;
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : trusted) a.add(new TrustAnchor(c, null));
        this.anchors = Set.copyOf(a);
    }

    /** Empty when {@code chain} (the upstream's, its own certificate first) is trusted at {@code now}; else why not. */
    public Optional<String> problem(List<X509Certificate> chain, Date now) {
        Objects.requireNonNull(now, "now");
        if (chain.isEmpty()) return Optional.of("(50:application verification failure)");
        X509Certificate leaf = chain.get(0);
        CertPath path;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters build = new PKIXBuilderParameters(anchors, target);
            build.setRevocationEnabled(false);
            build.setMaxPathLength(-1); // the depth is checked below, for OpenSSL's word for it
            build.setDate(now);
            build.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            path = ((PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(build)).getCertPath();
        } catch (CertPathBuilderException e) {
            return Optional.of(untrusted(chain, now));
        } catch (GeneralSecurityException e) {
            return Optional.of("(1:unspecified certificate verification error: " + e.getMessage() + ")");
        }
        if (path.getCertificates().size() - 1 > depth) return Optional.of("(22:certificate chain too long)");
        if (crls.isEmpty()) return Optional.empty();
        try {
            PKIXParameters validate = new PKIXParameters(anchors);
            validate.setRevocationEnabled(true);
            validate.setDate(now);
            validate.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            CertPathValidator.getInstance("PKIX").validate(path, validate);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return Optional.of("(23:certificate revoked)");
            }
            return Optional.of("(3:unable to get certificate CRL)");
        } catch (GeneralSecurityException e) {
            return Optional.of("(1:unspecified certificate verification error: " + e.getMessage() + ")");
        }
    }

    /** OpenSSL's reason for a chain that leads to no trusted certificate at {@code now}. */
    private String untrusted(List<X509Certificate> chain, Date now) {
        X509Certificate leaf = chain.get(0);
        if (reachesTrusted(chain)) {
            // Trusted but not valid now: OpenSSL checks the dates once the chain is built.
            for (X509Certificate c : chain) {
                try {
                    c.checkValidity(now);
                } catch (CertificateExpiredException e) {
                    return "(10:certificate has expired)";
                } catch (CertificateNotYetValidException e) {
                    return "(9:certificate is not yet valid)";
                }
            }
            return "(7:certificate signature failure)";
        }
        if (selfIssued(leaf)) return chain.size() == 1 ? "(18:self-signed certificate)"
                : "(19:self-signed certificate in certificate chain)";
        if (selfIssued(chain.get(chain.size() - 1))) return "(19:self-signed certificate in certificate chain)";
        return "(20:unable to get local issuer certificate)";
    }

    /** Whether some certificate of the chain is trusted or signed by a trusted one. */
    private boolean reachesTrusted(List<X509Certificate> chain) {
        for (X509Certificate c : chain) {
            for (X509Certificate t : trusted) {
                if (c.equals(t) || (c.getIssuerX500Principal().equals(t.getSubjectX500Principal()) && signs(t, c))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean signs(X509Certificate issuer, X509Certificate issued) {
        try {
            issued.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getIssuerX500Principal().equals(c.getSubjectX500Principal());
    }
}
