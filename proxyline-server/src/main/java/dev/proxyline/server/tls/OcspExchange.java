package dev.proxyline.server.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.cert.ocsp.jcajce.JcaRespID;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The OCSP request for one certificate and the checks a response must pass to be stapled, nginx's: a successful
 * response, signed by a certificate it names (or the issuer), about this certificate, with status good and times
 * that are not off by more than five minutes; with {@code ssl_stapling_verify}, the signer must also be the issuer or
 * a delegated responder the issuer signed (OCSP signing purpose), and the issuer must be or be signed by a certificate
 * of {@code ssl_trusted_certificate}. Plain Java, no network.
 */
final class OcspExchange {
    /** OpenSSL's {@code OCSP_check_validity} leeway, as nginx uses it. */
    private static final Duration LEEWAY = Duration.ofMinutes(5);

    private final X509Certificate issuer;
    private final CertificateID id;
    private final byte[] request;

    private OcspExchange(X509Certificate issuer, CertificateID id, byte[] request) {
        this.issuer = issuer;
        this.id = id;
        this.request = request;
    }

    /** The exchange about {@code leaf}, which {@code issuer} signed; SHA-1 identifiers, as nginx sends. */
    static OcspExchange about(X509Certificate leaf, X509Certificate issuer) {
        try {
            CertificateID id = new JcaCertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), issuer, leaf.getSerialNumber());
            byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
            return new OcspExchange(issuer, id, request);
        } catch (OperatorCreationException | OCSPException | CertificateException | IOException e) {
            throw new IllegalStateException("cannot build an OCSP request: " + e.getMessage(), e);
        }
    }

    /** The DER request, the same for every fetch (no nonce, as nginx sends none). */
    byte[] request() {
        return request.clone();
    }

    /** What a response comes to: a staple, or why it is not stapled. */
    sealed interface Outcome {
    }

    /** @param nextUpdate when the responder's next statement is due; empty: none said, valid until replaced */
    record Staple(byte[] der, Optional<Instant> nextUpdate) implements Outcome {
        Staple {
            Objects.requireNonNull(der, "der");
            Objects.requireNonNull(nextUpdate, "nextUpdate");
        }
    }

    record Refused(String reason) implements Outcome {
        Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The status a response states about the certificate. */
    enum Status { GOOD, REVOKED, UNKNOWN }

    /** What a response says once it passed every check but the status: for a client certificate's check. */
    sealed interface Judged {
    }

    /** @param nextUpdate when the responder's next statement is due; empty: none said */
    record Stated(Status status, Optional<Instant> nextUpdate) implements Judged {
        Stated {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(nextUpdate, "nextUpdate");
        }
    }

    record Unusable(String reason) implements Judged {
        Unusable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Judges {@code der} at {@code now} for stapling: only a good status is stapled. */
    Outcome check(byte[] der, Instant now, boolean verify, List<X509Certificate> trusted) {
        Judged judged = judge(der, now, verify, trusted);
        if (judged instanceof Unusable u) return new Refused(u.reason());
        Stated stated = (Stated) judged;
        if (stated.status() != Status.GOOD) {
            return new Refused("certificate status \"" + stated.status().name().toLowerCase(Locale.ROOT)
                    + "\" in the OCSP response");
        }
        return new Staple(der.clone(), stated.nextUpdate());
    }

    /**
     * Judges {@code der} at {@code now} as nginx's {@code ngx_ssl_ocsp_verify} does: the status is told only of a
     * response that passed the checks; {@code trusted} matters only when {@code verify}.
     */
    Judged judge(byte[] der, Instant now, boolean verify, List<X509Certificate> trusted) {
        try {
            OCSPResp response = new OCSPResp(der);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                return new Unusable("OCSP response not successful (" + response.getStatus() + ": "
                        + statusName(response.getStatus()) + ")");
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                return new Unusable("OCSP response is not a basic response");
            }
            Optional<X509Certificate> signer = signer(basic);
            if (signer.isEmpty()) return new Unusable("OCSP response signer certificate not found");
            if (!basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.get().getPublicKey()))) {
                return new Unusable("OCSP response signature failure");
            }
            if (verify) {
                Optional<String> untrusted = untrusted(signer.get(), trusted);
                if (untrusted.isPresent()) return new Unusable(untrusted.get());
            }
            SingleResp single = null;
            for (SingleResp s : basic.getResponses()) {
                if (s.getCertID().equals(id)) single = s;
            }
            if (single == null) return new Unusable("certificate status not found in the OCSP response");
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Optional<Instant> nextUpdate = Optional.ofNullable(single.getNextUpdate()).map(d -> d.toInstant());
            if (thisUpdate.isAfter(now.plus(LEEWAY)) || nextUpdate.filter(n -> n.isBefore(now.minus(LEEWAY))).isPresent()
                    || nextUpdate.filter(n -> n.isBefore(thisUpdate)).isPresent()) {
                return new Unusable("OCSP status times invalid (thisUpdate " + thisUpdate + ", nextUpdate "
                        + nextUpdate.map(Instant::toString).orElse("none") + ")");
            }
            CertificateStatus status = single.getCertStatus();
            Status stated = status == CertificateStatus.GOOD ? Status.GOOD
                    : status instanceof RevokedStatus ? Status.REVOKED : Status.UNKNOWN;
            return new Stated(stated, nextUpdate);
        } catch (IOException e) {
            return new Unusable("invalid OCSP response (" + e.getMessage() + ")");
        } catch (OCSPException | OperatorCreationException e) {
            return new Unusable("OCSP response signature failure (" + e.getMessage() + ")");
        }
    }

    /**
     * The identity of the certificate asked about, the same bytes for every response about it (issuer name and key
     * hashes and serial number, as nginx's cache key): the key of {@link OcspStatusCache}.
     */
    String key() {
        try {
            return HexFormat.of().formatHex(id.toASN1Primitive().getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an OCSP certificate id", e);
        }
    }

    /** The certificate the response names as its responder, among those it carries, or the issuer. */
    private Optional<X509Certificate> signer(BasicOCSPResp basic) {
        List<X509Certificate> candidates = new ArrayList<>();
        try {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder h : basic.getCerts()) candidates.add(converter.getCertificate(h));
            candidates.add(issuer);
            for (X509Certificate c : candidates) {
                if (basic.getResponderId().equals(new RespID(
                        new JcaX509CertificateHolder(c).getSubject()))
                        || basic.getResponderId().equals(new JcaRespID(
                        c.getPublicKey(), new JcaDigestCalculatorProviderBuilder().build()
                        .get(RespID.HASH_SHA1)))) {
                    return Optional.of(c);
                }
            }
        } catch (CertificateException | OperatorCreationException | OCSPException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Why {@code signer} may not speak for the issuer under {@code ssl_stapling_verify}; empty when it may. */
    private Optional<String> untrusted(X509Certificate signer, List<X509Certificate> trusted) {
        if (!signer.equals(issuer)) {
            boolean delegated;
            try {
                signer.verify(issuer.getPublicKey());
                List<String> purposes = signer.getExtendedKeyUsage();
                delegated = purposes != null && purposes.contains(KeyPurposeId.id_kp_OCSPSigning.getId());
            } catch (GeneralSecurityException e) {
                delegated = false;
            }
            if (!delegated) {
                return Optional.of("OCSP response signer \"" + signer.getSubjectX500Principal().getName()
                        + "\" is neither the issuer nor a responder it delegated (certificate verify error)");
            }
        }
        for (X509Certificate anchor : trusted) {
            if (anchor.equals(issuer)) return Optional.empty();
            try {
                if (anchor.getSubjectX500Principal().equals(issuer.getIssuerX500Principal())) {
                    issuer.verify(anchor.getPublicKey());
                    return Optional.empty();
                }
            } catch (GeneralSecurityException e) {
                // another certificate with the same name may still be the one
            }
        }
        return Optional.of("OCSP response: the issuer \"" + issuer.getSubjectX500Principal().getName()
                + "\" is not trusted by ssl_trusted_certificate (certificate verify error)");
    }

    private static String statusName(int status) {
        switch (status) {
            case OCSPResp.MALFORMED_REQUEST:
                return "malformedrequest";
            case OCSPResp.INTERNAL_ERROR:
                return "internalerror";
            case OCSPResp.TRY_LATER:
                return "trylater";
            case OCSPResp.SIG_REQUIRED:
                return "sigrequired";
            case OCSPResp.UNAUTHORIZED:
                return "unauthorized";
            default:
                return "unknown";
        }
    }
}
