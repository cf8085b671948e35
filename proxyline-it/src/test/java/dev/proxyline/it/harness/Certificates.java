package dev.proxyline.it.harness;

import org.junit.jupiter.api.Assertions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Self-signed certificates made with the {@code openssl} CLI at test time, so no key material is
 * committed. EC P-256 keys: generated in milliseconds, unlike RSA.
 */
public final class Certificates {
    private Certificates() {
    }

    /**
     * A self-signed certificate for {@code commonName} (also its DNS subject alternative name):
     * {@code name.crt}, {@code name.key}, and {@code name.pem} with both, the form HAProxy's
     * {@code crt} wants.
     */
    public static Pair selfSigned(Path directory, String name, String commonName) {
        Path openssl = Interop.requireBinary("openssl");
        Path key = directory.resolve(name + ".key");
        Path cert = directory.resolve(name + ".crt");
        Commands.Result result = Commands.runForResult(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=" + commonName, "-addext", "subjectAltName=DNS:" + commonName,
                "-keyout", key.toString(), "-out", cert.toString()), Duration.ofSeconds(20));
        if (result.status() != 0) {
            Assertions.fail("openssl could not make a certificate for " + commonName + ":\n" + result.output());
        }
        Path pem = directory.resolve(name + ".pem");
        PeerProcess.write(pem, PeerProcess.read(cert) + PeerProcess.read(key));
        return new Pair(cert, key, pem);
    }

    /** The files of one certificate. */
    public record Pair(Path certificate, Path key, Path combined) {
    }
}
