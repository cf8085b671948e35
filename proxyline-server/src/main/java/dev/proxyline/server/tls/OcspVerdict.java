package dev.proxyline.server.tls;

import java.util.Optional;

/**
 * How the OCSP check of a client's certificate ({@code ssl_ocsp}) ended, with nginx's words for
 * {@code $ssl_client_verify} and the log ({@code ngx_ssl_ocsp_get_status}).
 */
public enum OcspVerdict {
    /** Every certificate asked about is good. */
    GOOD(null),
    REVOKED("certificate revoked"),
    UNKNOWN("certificate status unknown"),
    /** A responder could not be asked, or its answer did not pass the checks. */
    REQUEST_FAILED("certificate status request failed");

    private final String failure;

    OcspVerdict(String failure) {
        this.failure = failure;
    }

    /** Why the certificate is refused; empty when it is good. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }
}
