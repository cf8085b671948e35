package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.server.http.routing.HostRoute;
import dev.proxyline.server.http.routing.VirtualHosts;
import dev.proxyline.server.tls.VerifyFailure;
import dev.proxyline.server.variables.ClientCertificate;
import java.util.Optional;

/**
 * nginx's check of a request against its server's {@code ssl_verify_client}, made once the server is known: a
 * certificate that did not verify is refused (with {@code optional_no_ca}, only for other reasons than an unknown
 * issuer), with {@code on} so is a request without one, and so is a certificate {@code ssl_ocsp} refused. All are
 * answered 400 with nginx's texts (nginx's internal 495 and 496, which its access log shows as 400, and which
 * {@code error_page 495 496} catch); a Host other than the SNI name is 421. Plain Java.
 */
final class ClientCertificateCheck {
    /**
     * Why a request is refused: the answer's status and body, the log line, and the status an {@code error_page}
     * names to replace the answer (nginx's internal 495 and 496; 0 where proxyline sends none to a page).
     */
    record Refusal(int status, String body, String log, int pageStatus) {}

    /** nginx's NGX_HTTPS_CERT_ERROR and NGX_HTTPS_NO_CERT. */
    static final int CERT_ERROR = 495;
    static final int NO_CERT = 496;

    private static final Refusal NO_CERTIFICATE = new Refusal(400, "400 No required SSL certificate was sent\n",
            "client sent no required SSL certificate", NO_CERT);
    private static final Refusal MISDIRECTED = new Refusal(421, "421 Misdirected Request\n",
            "client attempted to request the server name different from the one that was negotiated", 0);

    private ClientCertificateCheck() {
    }

    /**
     * For a server with {@code ssl_verify_client}: a request whose Host is another name than the SNI name the
     * handshake chose a server by is answered 421, as nginx does, since the handshake may have followed another
     * server's settings (nginx compares the names, so even another name of the same server is refused). As in nginx,
     * nothing is compared on a socket with one server (nginx keeps no names for it) or when the SNI name named no
     * server (the default server took the handshake).
     *
     * @param host  the request's host, lower case and without port
     * @param hosts the socket's servers, to see whether the SNI name named one
     */
    static Optional<Refusal> misdirected(Optional<String> serverName, String host, VirtualHosts hosts) {
        if (serverName.isEmpty() || serverName.get().equals(host) || hosts.servers().size() < 2) {
            return Optional.empty();
        }
        return hosts.select(serverName.get()) instanceof HostRoute.Server s && s.via() != HostRoute.Via.DEFAULT
                ? Optional.of(MISDIRECTED) : Optional.empty();
    }

    static Optional<Refusal> check(ClientVerify.Mode mode, ClientCertificate client) {
        if (mode == ClientVerify.Mode.OFF) return Optional.empty();
        Optional<VerifyFailure> failure = client.failure();
        if (failure.isPresent() && !(mode == ClientVerify.Mode.OPTIONAL_NO_CA && failure.get().issuerUnknown())) {
            return Optional.of(new Refusal(400, "400 The SSL certificate error\n",
                    "client SSL certificate verify error: " + failure.get().describe(), CERT_ERROR));
        }
        if (mode == ClientVerify.Mode.ON && !client.sent()) return Optional.of(NO_CERTIFICATE);
        return client.ocspFailure().map(f -> new Refusal(400, "400 The SSL certificate error\n",
                "client SSL certificate verify error: " + f, CERT_ERROR));
    }
}
