package dev.proxyline.server.tls;

import dev.proxyline.config.ClientVerify;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
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
        List<X509CRL> crls = new ArrayList<>();
        files.crl().ifPresent(f -> read(f, true, problems).forEach(o -> crls.add((X509CRL) o)));
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        return Optional.of(new ClientVerifier(files.mode(), named, trusted, crls, files.depth()));
    }

    private static List<X509Certificate> certificates(Optional<PemFile> file, List<String> problems) {
        List<X509Certificate> out = new ArrayList<>();
        file.ifPresent(f -> read(f, false, problems).forEach(o -> out.add((X509Certificate) o)));
        return out;
    }

    private static List<Object> read(PemFile file, boolean crls, List<String> problems) {
        String what = crls ? "PEM certificate revocation list" : "PEM certificate";
        try (InputStream in = Files.newInputStream(file.path())) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends CRL> lists = crls ? factory.generateCRLs(in) : List.of();
            Collection<? extends Certificate> certificates = crls ? List.of() : factory.generateCertificates(in);
            List<Object> out = new ArrayList<>(crls ? lists : certificates);
            if (out.isEmpty()) problems.add(file.problem("no " + what + " in it"));
            return out;
        } catch (IOException e) {
            problems.add(file.problem("cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
        } catch (GeneralSecurityException e) {
            problems.add(file.problem("not a " + what + " (" + e.getMessage() + ")"));
        }
        return List.of();
    }
}
