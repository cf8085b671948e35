package dev.proxyline.server.tls;

import io.netty.handler.ssl.CipherSuiteConverter;

/**
 * Cipher suite names as nginx reports them in {@code $ssl_cipher}: OpenSSL's, where Java's TLS engines (the
 * JDK's, and Netty's over OpenSSL or BoringSSL) give the IANA names.
 */
public final class CipherNames {
    private CipherNames() {
    }

    /**
     * OpenSSL's name of {@code suite}: {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256} is
     * {@code ECDHE-RSA-AES128-GCM-SHA256}; TLS 1.3 suites keep their IANA names, as in OpenSSL (not
     * BoringSSL's {@code AEAD-...}); a suite OpenSSL has no name for is returned as it is.
     */
    public static String openSsl(String suite) {
        String name = CipherSuiteConverter.toOpenSsl(suite, false);
        return name != null ? name : suite;
    }
}
