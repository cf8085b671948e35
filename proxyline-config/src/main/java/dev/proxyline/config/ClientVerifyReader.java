package dev.proxyline.config;

import java.util.Locale;
import java.util.Optional;

/** Reads {@link ClientVerify} from a server's scope (inheriting from {@code http} as nginx does). */
final class ClientVerifyReader {
    private final ArgReader r;

    ClientVerifyReader(ArgReader r) {
        this.r = r;
    }

    ClientVerify read(Scope s) {
        Optional<Directive> verify = s.get("ssl_verify_client");
        ClientVerify.Mode mode = verify.flatMap(this::mode).orElse(ClientVerify.Mode.OFF);
        int depth = s.get("ssl_verify_depth")
                .map(d -> r.intInRange(d, d.arg(0), 0, Integer.MAX_VALUE).orElse(1)).orElse(1);
        return new ClientVerify(mode, file(s, "ssl_client_certificate"), file(s, "ssl_trusted_certificate"),
                file(s, "ssl_crl"), depth, new ClientOcspReader(r).read(s));
    }

    /**
     * nginx's check of a server that does TLS (has a certificate or an {@code ssl} listen): {@code on} and
     * {@code optional} need CAs to name to the client, and {@code ssl_trusted_certificate} alone does not do.
     * A plain server may inherit {@code ssl_verify_client} without them, as in nginx. {@code ssl_ocsp} does not go
     * with {@code optional_no_ca}.
     */
    void checkServer(Scope s, HttpSettings.Tls tls, boolean sslListen) {
        ClientVerify v = tls.clientVerify();
        boolean tlsServer = sslListen || !tls.certificates().isEmpty();
        if (tlsServer && (v.mode() == ClientVerify.Mode.ON || v.mode() == ClientVerify.Mode.OPTIONAL)
                && v.clientCertificate().isEmpty()) {
            r.error(s.get("ssl_verify_client").orElseThrow(), "no ssl_client_certificate for ssl_verify_client");
        }
        if (tlsServer && v.ocsp().mode() != ClientOcsp.Mode.OFF && v.mode() == ClientVerify.Mode.OPTIONAL_NO_CA) {
            // nginx: a certificate whose issuer is unknown cannot be asked about, so the two do not go together
            r.error(s.get("ssl_ocsp").orElseThrow(),
                    "\"ssl_ocsp\" is incompatible with \"ssl_verify_client optional_no_ca\"");
        }
    }

    private Optional<ClientVerify.Mode> mode(Directive d) {
        String v = d.arg(0).value();
        switch (v) {
            case "on":
            case "off":
            case "optional":
            case "optional_no_ca":
                return Optional.of(ClientVerify.Mode.valueOf(v.toUpperCase(Locale.ROOT)));
            default:
                r.error(d.arg(0), "invalid value \"" + v + "\" in \"ssl_verify_client\" directive (expected on, off, "
                        + "optional or optional_no_ca)");
                return Optional.empty();
        }
    }

    private static Optional<ClientVerify.File> file(Scope s, String name) {
        return s.get(name).map(d -> new ClientVerify.File(d.arg(0).value(), d.arg(0).position()));
    }
}
