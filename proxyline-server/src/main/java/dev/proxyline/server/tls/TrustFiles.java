package dev.proxyline.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads the PEM files a chain check trusts ({@code ssl_client_certificate}, {@code ssl_trusted_certificate},
 * {@code proxy_ssl_trusted_certificate}) and their revocation lists ({@code ssl_crl}, {@code proxy_ssl_crl}) at
 * startup; every problem goes to {@code problems} with the directive's file:line:column.
 */
final class TrustFiles {
    private TrustFiles() {
    }

    static List<X509Certificate> certificates(PemFile file, List<String> problems) {
        List<X509Certificate> out = new ArrayList<>();
        read(file, false, problems).forEach(o -> out.add((X509Certificate) o));
        return out;
    }

    static List<X509CRL> revocationLists(PemFile file, List<String> problems) {
        List<X509CRL> out = new ArrayList<>();
        read(file, true, problems).forEach(o -> out.add((X509CRL) o));
        return out;
    }

    private static Collection<?> read(PemFile file, boolean crls, List<String> problems) {
        String what = crls ? "PEM certificate revocation list" : "PEM certificate";
        try (InputStream in = Files.newInputStream(file.path())) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<?> out = crls ? factory.generateCRLs(in) : factory.generateCertificates(in);
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
