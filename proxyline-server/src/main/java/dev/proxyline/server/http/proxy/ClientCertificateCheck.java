package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.server.variables.ClientCertificate;
import java.util.Optional;

/**
 * nginx's check of a request against its server's {@code ssl_verify_client}, made once the server is known: a
 * certificate that did not verify is refused (with {@code optional_no_ca}, only for other reasons than an unknown
 * issuer), and with {@code on} so is a request without one. Both are answered 400 with nginx's texts (nginx's
 * internal 495 and 496, which its access log shows as 400). Plain Java.
 */
final class ClientCertificateCheck {
    /** Why a request is refused: the answer's body and the log line. */
    record Refusal(String body, String log) {}

    private static final Refusal NO_CERTIFICATE = new Refusal("400 No required SSL certificate was sent\n",
            "client sent no required SSL certificate");

    private ClientCertificateCheck() {
    }

    static Optional<Refusal> check(ClientVerify.Mode mode, ClientCertificate client) {
        if (mode == ClientVerify.Mode.OFF) return Optional.empty();
        Optional<ClientCertificate.Failure> failure = client.failure();
        if (failure.isPresent() && !(mode == ClientVerify.Mode.OPTIONAL_NO_CA && failure.get().issuerUnknown())) {
            return Optional.of(new Refusal("400 The SSL certificate error\n", "client SSL certificate verify error: ("
                    + failure.get().code() + ":" + failure.get().text() + ")"));
        }
        if (mode == ClientVerify.Mode.ON && !client.sent()) return Optional.of(NO_CERTIFICATE);
        return Optional.empty();
    }
}
