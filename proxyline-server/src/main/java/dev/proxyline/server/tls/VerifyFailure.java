package dev.proxyline.server.tls;

/**
 * Why a certificate chain did not verify, with OpenSSL's number and text as nginx logs and shows them
 * ({@code X509_verify_cert_error_string} of OpenSSL 3): for client certificates ({@code $ssl_client_verify}) and
 * upstream ones ({@code proxy_ssl_verify}) alike.
 */
public enum VerifyFailure {
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

    VerifyFailure(int code, String text, boolean issuerUnknown) {
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

    /** As nginx's error log writes it: {@code (20:unable to get local issuer certificate)}. */
    public String describe() {
        return "(" + code + ":" + text + ")";
    }

    /** nginx's {@code ngx_ssl_verify_error_optional}: what {@code optional_no_ca} lets through. */
    public boolean issuerUnknown() {
        return issuerUnknown;
    }
}
