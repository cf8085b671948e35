package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * TLS to the upstream of {@code proxy_pass https://}: nginx's {@code proxy_ssl_*} directives, inherited from http to
 * server to location as nginx merges them (each directive on its own).
 *
 * @param serverName         {@code proxy_ssl_server_name}: send the name as SNI (default off)
 * @param name               {@code proxy_ssl_name}; empty means the host of {@code proxy_pass}
 * @param verify             {@code proxy_ssl_verify}: check the upstream's chain and name (default off)
 * @param verifyDepth        {@code proxy_ssl_verify_depth} (default 1)
 * @param trustedCertificate {@code proxy_ssl_trusted_certificate}: the PEM file of trusted CA certificates
 * @param protocols          {@code proxy_ssl_protocols}
 * @param ciphers            {@code proxy_ssl_ciphers}, an OpenSSL cipher string
 * @param certificate        {@code proxy_ssl_certificate}: the client certificate shown to the upstream
 * @param certificateKey     {@code proxy_ssl_certificate_key}: its key
 * @param sessionReuse       {@code proxy_ssl_session_reuse} (default on)
 * @param crl                {@code proxy_ssl_crl}: the PEM file of revocation lists checked with {@code verify}
 */
public record ProxySsl(boolean serverName, Optional<String> name, boolean verify, int verifyDepth,
                       Optional<File> trustedCertificate, Set<String> protocols, String ciphers,
                       Optional<File> certificate, Optional<File> certificateKey, boolean sessionReuse,
                       Optional<File> crl) {
    /** nginx 1.23's default (1.22 also enabled TLSv1 and TLSv1.1). */
    public static final Set<String> DEFAULT_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    /** nginx's default. */
    public static final String DEFAULT_CIPHERS = "DEFAULT";
    /** nginx's defaults: no SNI, no verification, sessions reused. */
    public static final ProxySsl DEFAULTS = new ProxySsl(false, Optional.empty(), false, 1, Optional.empty(),
            DEFAULT_PROTOCOLS, DEFAULT_CIPHERS, Optional.empty(), Optional.empty(), true, Optional.empty());

    public ProxySsl {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trustedCertificate, "trustedCertificate");
        protocols = Set.copyOf(protocols);
        Objects.requireNonNull(ciphers, "ciphers");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(certificateKey, "certificateKey");
        Objects.requireNonNull(crl, "crl");
        if (verifyDepth < 0) throw new IllegalArgumentException("verifyDepth " + verifyDepth);
        if (protocols.isEmpty()) throw new IllegalArgumentException("no protocol");
    }

    /** A file a directive names, as written, and where it was named (for startup errors). */
    public record File(String path, Position position) {
        public File {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(position, "position");
        }
    }
}
