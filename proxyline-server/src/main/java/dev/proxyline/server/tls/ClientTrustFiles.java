package dev.proxyline.server.tls;

import dev.proxyline.config.ClientVerify;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the CA and CRL files of {@code ssl_verify_client} at startup, every problem with its file:line:column. */
final class ClientTrustFiles {
    private ClientTrustFiles() {
    }

    /** The verifier for {@code files}; empty when {@code ssl_verify_client} is off. */
    static Optional<ClientVerifier> load(ClientVerifyFiles files) throws TlsSetupException {
        if (files.mode() == ClientVerify.Mode.OFF) return Optional.empty();
        List<String> problems = new ArrayList<>();
        List<X509Certificate> named = certificates(files.clientCertificate(), problems);
        List<X509Certificate> trusted = certificates(files.trustedCertificate(), problems);
        List<X509CRL> crls = files.crl().map(f -> TrustFiles.revocationLists(f, problems)).orElse(List.of());
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        return Optional.of(new ClientVerifier(files.mode(), named, trusted, crls, files.depth()));
    }

    private static List<X509Certificate> certificates(Optional<PemFile> file, List<String> problems) {
        return file.map(f -> TrustFiles.certificates(f, problems)).orElse(List.of());
    }
}
