package dev.proxyline.server.variables;

import dev.proxyline.server.tls.OcspVerdict;
import dev.proxyline.server.tls.VerifyFailure;
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

    private final List<X509Certificate> chain;
    private final Optional<VerifyFailure> failure;
    private final OcspVerdict ocsp;
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
    public ClientCertificate(List<X509Certificate> chain, Optional<VerifyFailure> failure) {
        this(chain, failure, OcspVerdict.GOOD);
    }

    private ClientCertificate(List<X509Certificate> chain, Optional<VerifyFailure> failure, OcspVerdict ocsp) {
        this.chain = List.copyOf(chain);
        this.failure = Objects.requireNonNull(failure, "failure");
        this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
        if (this.chain.isEmpty() && failure.isPresent()) throw new IllegalArgumentException("failure without certificate");
    }

    /** This certificate with the verdict of {@code ssl_ocsp} on it (asked only about one that verified). */
    public ClientCertificate withOcsp(OcspVerdict verdict) {
        if (!sent() || failure.isPresent()) throw new IllegalStateException("OCSP asks only about a verified certificate");
        return new ClientCertificate(chain, failure, verdict);
    }

    /** Why {@code ssl_ocsp} refused the certificate; empty when it did not (or did not ask). */
    public Optional<String> ocspFailure() {
        return ocsp.failure();
    }

    /** The certificates as the client sent them, its own first; empty when it sent none. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** Whether the client sent a certificate. */
    public boolean sent() {
        return !chain.isEmpty();
    }

    public Optional<VerifyFailure> failure() {
        return failure;
    }

    /** The client's own certificate; present when {@link #sent()}. */
    public Optional<X509Certificate> certificate() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
    }

    /** {@code $ssl_client_verify}: {@code SUCCESS}, {@code FAILED:reason} or {@code NONE}. */
    public String verify() {
        if (!sent()) return "NONE";
        return failure.map(VerifyFailure::text).or(ocsp::failure).map(f -> "FAILED:" + f).orElse("SUCCESS");
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
