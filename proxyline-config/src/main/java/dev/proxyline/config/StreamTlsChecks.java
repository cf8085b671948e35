package dev.proxyline.config;

import java.util.List;

/**
 * nginx's checks of a stream server that terminates TLS ({@code listen ... ssl}), made where its stream ssl module
 * makes them: only a server with such a listen needs certificates, and each certificate its key. A server without
 * one may carry (or inherit) {@code ssl_*} directives, which then do nothing, as in nginx.
 */
final class StreamTlsChecks {
    private final ArgReader r;

    StreamTlsChecks(ArgReader r) {
        this.r = r;
    }

    void check(Scope s, List<Listen> listens, HttpSettings.Tls tls) {
        List<Listen> ssl = listens.stream().filter(Listen::ssl).toList();
        if (ssl.isEmpty()) return;
        if (tls.certificates().isEmpty()) {
            // Unlike an http server, no development certificate: nginx refuses to start, and so does proxyline.
            ssl.forEach(l -> r.errors().add(l.position(),
                    "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive"));
            return;
        }
        for (int i = tls.certificateKeys().size(); i < tls.certificates().size(); i++) {
            r.errors().add(at(tls.certificatePositions(), i, ssl.get(0)), "no \"ssl_certificate_key\" is defined for "
                    + "certificate \"" + tls.certificates().get(i) + "\"");
        }
        for (int i = tls.certificates().size(); i < tls.certificateKeys().size(); i++) {
            r.errors().add(at(tls.keyPositions(), i, ssl.get(0)), "no \"ssl_certificate\" is defined for "
                    + "certificate key \"" + tls.certificateKeys().get(i) + "\"");
        }
        new ClientVerifyReader(r).checkServer(s, tls, true);
        new TlsHandshakeReader(r).checkServer(tls);
    }

    private static Position at(List<Position> positions, int i, Listen fallback) {
        return i < positions.size() ? positions.get(i) : fallback.position();
    }
}
