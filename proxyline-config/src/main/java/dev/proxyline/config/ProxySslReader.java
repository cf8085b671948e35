package dev.proxyline.config;

import java.util.Optional;
import java.util.Set;

/** Reads {@link ProxySsl} from a scope; an invalid value is reported and its default used. */
final class ProxySslReader {

    private final ArgReader r;

    ProxySslReader(ArgReader r) {
        this.r = r;
    }

    ProxySsl read(Scope s) {
        ProxySsl d = ProxySsl.DEFAULTS;
        return new ProxySsl(
                flag(s, "proxy_ssl_server_name", d.serverName()),
                s.get("proxy_ssl_name").flatMap(this::name),
                flag(s, "proxy_ssl_verify", d.verify()),
                s.get("proxy_ssl_verify_depth").map(v -> r.intInRange(v, v.arg(0), 0, 100).orElse(d.verifyDepth()))
                        .orElse(d.verifyDepth()),
                file(s, "proxy_ssl_trusted_certificate"),
                s.get("proxy_ssl_protocols").map(this::protocols).orElse(d.protocols()),
                s.get("proxy_ssl_ciphers").map(v -> v.arg(0).value()).orElse(d.ciphers()),
                file(s, "proxy_ssl_certificate"),
                file(s, "proxy_ssl_certificate_key"),
                flag(s, "proxy_ssl_session_reuse", d.sessionReuse()),
                file(s, "proxy_ssl_crl"));
    }

    /**
     * nginx's "no proxy_ssl_trusted_certificate for proxy_ssl_verify" and the certificate without its key, reported
     * at the {@code proxy_pass https://} they would serve.
     */
    void check(ProxySsl ssl, Directive proxyPass) {
        if (ssl.verify() && ssl.trustedCertificate().isEmpty()) {
            r.error(proxyPass, "no \"proxy_ssl_trusted_certificate\" for \"proxy_ssl_verify\"");
        }
        if (ssl.certificate().isPresent() && ssl.certificateKey().isEmpty()) {
            r.error(proxyPass, "no \"proxy_ssl_certificate_key\" is defined for certificate \""
                    + ssl.certificate().get().path() + "\"");
        }
        if (ssl.certificateKey().isPresent() && ssl.certificate().isEmpty()) {
            r.error(proxyPass, "\"proxy_ssl_certificate_key\" without \"proxy_ssl_certificate\"");
        }
    }

    private boolean flag(Scope s, String name, boolean fallback) {
        return s.get(name).flatMap(d -> r.flag(d, d.arg(0))).orElse(fallback);
    }

    private Optional<ProxySsl.File> file(Scope s, String name) {
        return s.get(name).map(d -> new ProxySsl.File(d.arg(0).value(), d.arg(0).position()));
    }

    /**
     * A constant name: one name per location keeps each pooled connection's name known without rendering anything
     * per request.
     */
    private Optional<String> name(Directive d) {
        Argument a = d.arg(0);
        if (a.hasVariables()) {
            r.error(a, "variables in \"proxy_ssl_name\" are not supported (write the name the upstream's certificate"
                    + " carries)");
            return Optional.empty();
        }
        return Optional.of(a.value());
    }

    private Set<String> protocols(Directive d) {
        return TlsVersions.read(r, d, ProxySsl.DEFAULT_PROTOCOLS);
    }
}
