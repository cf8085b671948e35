package dev.proxyline.server.tls;

import dev.proxyline.config.ProxySsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Builds the client side of {@code proxy_pass https://} from the {@code proxy_ssl_*} settings, once per distinct
 * setting: the engine context (protocols, ciphers, client certificate, session cache) and the chain check.
 *
 * <p>The engines accept every certificate during the handshake; with {@code proxy_ssl_verify on} the chain and name
 * are checked once it is done, as nginx checks OpenSSL's verify result after its handshake: the upstream sees a
 * finished handshake and a close, and the log says what failed in nginx's words.
 */
public final class ClientContexts {
    /** Not subject to {@code proxy_ssl_ciphers}, as in nginx; the engine drops those it lacks. */
    private static final List<String> TLS13_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    /** Oldest first, the order the engines list them in. */
    private static final List<String> PROTOCOL_ORDER = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final SslProvider provider;
    private final Path configDirectory;
    private final Map<ProxySsl, UpstreamTlsSettings> built = new HashMap<>();

    /** @param configDirectory what relative file names are resolved against */
    public ClientContexts(SslProvider provider, Path configDirectory) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.configDirectory = Objects.requireNonNull(configDirectory, "configDirectory");
    }

    /** The context and check for {@code ssl}; the same object for equal settings. */
    public UpstreamTlsSettings get(ProxySsl ssl) throws TlsSetupException {
        UpstreamTlsSettings settings = built.get(ssl);
        if (settings == null) {
            settings = build(ssl);
            built.put(ssl, settings);
        }
        return settings;
    }

    private UpstreamTlsSettings build(ProxySsl ssl) throws TlsSetupException {
        List<String> problems = new ArrayList<>();
        Optional<CertifiedKey> clientKey = Optional.empty();
        if (ssl.certificate().isPresent() && ssl.certificateKey().isPresent()) {
            try {
                clientKey = Optional.of(PemKeys.load(new CertificateFiles(
                        pem(ssl.certificate().get(), "proxy_ssl_certificate"),
                        pem(ssl.certificateKey().get(), "proxy_ssl_certificate_key"))));
            } catch (TlsSetupException e) {
                problems.addAll(e.problems());
            }
        }
        Optional<ChainVerifier> check = Optional.empty();
        if (ssl.verify() && ssl.trustedCertificate().isPresent()) {
            List<X509Certificate> trusted = TrustFiles.certificates(pem(ssl.trustedCertificate().get(),
                    "proxy_ssl_trusted_certificate"), problems);
            List<X509CRL> crls = ssl.crl().isPresent()
                    ? TrustFiles.revocationLists(pem(ssl.crl().get(), "proxy_ssl_crl"), problems) : List.of();
            if (!trusted.isEmpty()) {
                check = Optional.of(new ChainVerifier(trusted, crls, ssl.verifyDepth(), ChainVerifier.Purpose.TLS_SERVER));
            }
        }
        List<String> protocols = PROTOCOL_ORDER.stream().filter(ssl.protocols()::contains).toList();
        List<String> legacySuites = CipherString.evaluate(ssl.ciphers());
        if (legacySuites.isEmpty() && protocols.stream().anyMatch(p -> !p.equals("TLSv1.3"))) {
            problems.add("\"proxy_ssl_ciphers " + ssl.ciphers() + "\" selects no cipher suite for "
                    + String.join(", ", protocols) + " (TLS 1.3 suites are not affected by proxy_ssl_ciphers)");
        }
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        List<String> suites = new ArrayList<>(TLS13_SUITES);
        suites.addAll(legacySuites);
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .protocols(protocols)
                    .ciphers(suites, SupportedCipherSuiteFilter.INSTANCE)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null);
            clientKey.ifPresent(k -> builder.keyManager(k.key(), k.chain()));
            return new UpstreamTlsSettings(builder.build(), check);
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException(List.of("cannot set up TLS to upstreams with proxy_ssl_protocols " + protocols
                    + " and proxy_ssl_ciphers \"" + ssl.ciphers() + "\": " + e.getMessage()));
        }
    }

    private PemFile pem(ProxySsl.File file, String directive) {
        return new PemFile(configDirectory.resolve(file.path()), directive, Optional.of(file.position()));
    }

}
