package dev.proxyline.server.variables;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The client certificate of one TLS connection and how its verification ended, for the request check of
 * {@code ssl_verify_client} and the {@code $ssl_client_*} variables. The texts the variables show are made on first
 * use and kept, since every request of the connection (every HTTP/2 stream) shows the same. They are plain fields:
 * each text is an immutable string computed the same way every time, so two threads racing would only compute it
 * twice.
 */
public final class ClientCertificate {
    /** No certificate was asked for ({@code ssl_verify_client off} on the server the handshake chose). */
    public static final ClientCertificate NOT_REQUESTED = new ClientCertificate(List.of(), Optional.empty());

    /**
     * A verification failure, with OpenSSL's number and text as nginx logs and shows them
     * ({@code X509_verify_cert_error_string} of OpenSSL 3).
     */
    public enum Failure {
        UNABLE_TO_GET_ISSUER_CERT(2, "unable to get issuer certificate", true),
        UNABLE_TO_GET_CRL(3, "unable to get certificate CRL", false),
        CERT_SIGNATURE_FAILURE(7, "certificate signature failure", false),
        CRL_SIGNATURE_FAILURE(8, "CRL signature failure", false),
        CERT_NOT_YET_VALID(9, "certificate is not yet valid", false),
        CERT_HAS_EXPIRED(10, "certificate has expired", false),
        CRL_NOT_YET_VALID(11, "CRL is not yet valid", false),
        CRL_HAS_EXPIRED(12, "CRL has expired", false),
        DEPTH_ZERO_SELF_SIGNED_CERT(18, "self-signed certificate", true),
        SELF_SIGNED_CERT_IN_CHAIN(19, "self-signed certificate in certificate chain", true),
        UNABLE_TO_GET_ISSUER_CERT_LOCALLY(20, "unable to get local issuer certificate", true),
        UNABLE_TO_VERIFY_LEAF_SIGNATURE(21, "unable to verify the first certificate", true),
        CERT_REVOKED(23, "certificate revoked", false),
        INVALID_CA(24, "invalid CA certificate", false),
        INVALID_PURPOSE(26, "unsupported certificate purpose", false);

        private final int code;
        private final String text;
        private final boolean issuerUnknown;

        Failure(int code, String text, boolean issuerUnknown) {
            this.code = code;
            this.text = text;
            this.issuerUnknown = issuerUnknown;
        }

        public int code() {
            return code;
        }

        public String text() {
            return text;
        }

        /** nginx's {@code ngx_ssl_verify_error_optional}: what {@code optional_no_ca} lets through. */
        public boolean issuerUnknown() {
            return issuerUnknown;
        }
    }

    private final List<X509Certificate> chain;
    private final Optional<Failure> failure;
    private String subject;
    private String issuer;
    private String serial;
    private String fingerprint;
    private String pem;
    private String escapedPem;
    private String notBefore;
    private String notAfter;

    /**
     * @param chain   as the client sent it, its own certificate first; empty when it sent none
     * @param failure why verification failed; empty when it succeeded (or there was nothing to verify)
     */
    public ClientCertificate(List<X509Certificate> chain, Optional<Failure> failure) {
        this.chain = List.copyOf(chain);
        this.failure = Objects.requireNonNull(failure, "failure");
        if (this.chain.isEmpty() && failure.isPresent()) throw new IllegalArgumentException("failure without certificate");
    }

    /** Whether the client sent a certificate. */
    public boolean sent() {
        return !chain.isEmpty();
    }

    public Optional<Failure> failure() {
        return failure;
    }

    /** The client's own certificate; present when {@link #sent()}. */
    public Optional<X509Certificate> certificate() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
    }

    /** {@code $ssl_client_verify}: {@code SUCCESS}, {@code FAILED:reason} or {@code NONE}. */
    public String verify() {
        if (!sent()) return "NONE";
        return failure.map(f -> "FAILED:" + f.text()).orElse("SUCCESS");
    }

    /** {@code $ssl_client_s_dn}, RFC 2253 as OpenSSL prints it; empty without a certificate. */
    public String subject() {
        if (subject == null) subject = sent() ? CertificateText.dn(chain.get(0).getSubjectX500Principal()) : "";
        return subject;
    }

    /** {@code $ssl_client_i_dn}. */
    public String issuer() {
        if (issuer == null) issuer = sent() ? CertificateText.dn(chain.get(0).getIssuerX500Principal()) : "";
        return issuer;
    }

    /** {@code $ssl_client_serial}: upper-case hex, a whole number of bytes. */
    public String serial() {
        if (serial == null) serial = sent() ? CertificateText.serial(chain.get(0).getSerialNumber()) : "";
        return serial;
    }

    /** {@code $ssl_client_fingerprint}: the SHA-1 of the DER form, lower-case hex. */
    public String fingerprint() {
        if (fingerprint == null) fingerprint = sent() ? CertificateText.sha1(chain.get(0)) : "";
        return fingerprint;
    }

    /** {@code $ssl_client_raw_cert}: PEM, with its last line end. */
    public String pem() {
        if (pem == null) pem = sent() ? CertificateText.pem(chain.get(0)) : "";
        return pem;
    }

    /** {@code $ssl_client_cert}: PEM with a tab before every line but the first and no last line end. */
    public String tabbedPem() {
        String raw = pem();
        return raw.isEmpty() ? "" : raw.substring(0, raw.length() - 1).replace("\n", "\n\t");
    }

    /** {@code $ssl_client_escaped_cert}: PEM, URL-encoded as nginx's {@code ngx_escape_uri} does a component. */
    public String escapedPem() {
        if (escapedPem == null) escapedPem = CertificateText.escapeComponent(pem());
        return escapedPem;
    }

    /** {@code $ssl_client_v_start}: {@code Nov  7 12:02:29 2026 GMT}. */
    public String notBefore() {
        if (notBefore == null) notBefore = sent() ? CertificateText.time(chain.get(0).getNotBefore().toInstant()) : "";
        return notBefore;
    }

    /** {@code $ssl_client_v_end}. */
    public String notAfter() {
        if (notAfter == null) notAfter = sent() ? CertificateText.time(chain.get(0).getNotAfter().toInstant()) : "";
        return notAfter;
    }

    /**
     * {@code $ssl_client_v_remain}: whole days until the certificate expires, 0 after; empty without one. Counted in
     * whole seconds, as nginx does, so that a certificate made this second for 10 days has 10 left, not 9.
     */
    public String daysRemaining(long nowMillis) {
        if (!sent()) return "";
        long left = chain.get(0).getNotAfter().getTime() / 1000 - nowMillis / 1000;
        return Long.toString(left < 86_400 ? 0 : left / 86_400);
    }
}
