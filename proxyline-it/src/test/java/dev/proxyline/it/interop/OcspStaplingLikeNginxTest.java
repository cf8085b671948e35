package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.OcspResponder;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.SClient;
import dev.proxyline.it.harness.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_stapling}, {@code ssl_stapling_responder}, {@code ssl_stapling_verify} and {@code ssl_stapling_file}:
 * the same {@code http} block in nginx and in proxyline, each server on a socket of its own, with a test CA and OCSP
 * responders run by the test; {@code openssl s_client -status} asks each until a response is stapled (the first
 * handshake gets none: it starts the fetch) or a few seconds have passed, and the stapled certificate status (or
 * none) and whether it came with the first handshake must match.
 */
@Timeout(180)
class OcspStaplingLikeNginxTest {
    private static final int SERVERS = 6;

    @TempDir
    Path directory;

    @Test
    void staplesLikeNginx() throws Exception {
        TestPki.Issued ca = TestPki.authority(directory, "test-ca");
        TestPki.Issued stranger = TestPki.authority(directory, "other-ca");
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        List<InetSocketAddress> nginxAt = new ArrayList<>();
        List<InetSocketAddress> proxylineAt = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            nginxAt.add(Loopback.freePort(Loopback.NGINX));
            proxylineAt.add(Loopback.freePort(Loopback.PROXYLINE));
        }
        TestPki.Issued noResponder = TestPki.leaf(directory, "no-responder", ca, Optional.empty());
        try (OcspResponder wrongSigner = OcspResponder.start(stranger); OcspResponder byCa = OcspResponder.start(ca)) {
            TestPki.Issued revoked = TestPki.leaf(directory, "revoked", ca, Optional.of(byCa.url()));
            byCa.revoke(revoked.certificate().getSerialNumber());
            byCa.revoke(noResponder.certificate().getSerialNumber());
            TestPki.Issued good = TestPki.leaf(directory, "good", ca, Optional.of(byCa.url()));
            Path file = directory.resolve("staple.der");
            Files.write(file, byCa.response(ca.certificate(), noResponder.certificate().getSerialNumber()));
            List<String> fromNginx = new ArrayList<>();
            List<String> fromProxyline = new ArrayList<>();
            try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                    + NginxPeer.httpHousekeeping(nginxDirectory)
                    + http(nginxAt, ca, good, revoked, noResponder, wrongSigner, file) + "}\n", nginxAt);
                 Proxyline proxyline = Proxyline.start(directory, "http {\n"
                         + http(proxylineAt, ca, good, revoked, noResponder, wrongSigner, file) + "}\n")) {
                for (int i = 0; i < SERVERS; i++) {
                    fromNginx.add(i + ": " + SClient.stapledStatus(nginxAt.get(i)));
                    fromProxyline.add(i + ": " + SClient.stapledStatus(proxylineAt.get(i)));
                }
            }
            assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
            assertThat(fromNginx).containsExactly("0: good, later", "1: none", "2: none", "3: good, later",
                    "4: good, later", "5: revoked, on the first handshake");
            assertThat(byCa.answered()).isGreaterThanOrEqualTo(6);
            assertThat(wrongSigner.answered()).isGreaterThanOrEqualTo(4);
        }
    }

    /**
     * 0 good certificate; 1 revoked one (nginx staples no revoked status); 2 a responder whose signer the CA did not
     * delegate, with ssl_stapling_verify; 3 the same without verification (the signature is still checked); 4 verified
     * and trusted; 5 ssl_stapling_file, served as it is (a revoked status about another certificate).
     */
    private static String http(List<InetSocketAddress> at, TestPki.Issued ca, TestPki.Issued good,
                               TestPki.Issued revoked, TestPki.Issued noResponder, OcspResponder wrongSigner,
                               Path file) {
        StringBuilder out = new StringBuilder();
        List<String> extras = List.of("",
                "",
                "ssl_stapling_responder " + wrongSigner.url() + "; ssl_stapling_verify on; ssl_trusted_certificate "
                        + ca.certificateFile() + ";",
                "ssl_stapling_responder " + wrongSigner.url() + ";",
                "ssl_stapling_verify on; ssl_trusted_certificate " + ca.certificateFile() + ";",
                "ssl_stapling_file " + file + ";");
        List<TestPki.Issued> leaves = List.of(good, revoked, good, good, good, noResponder);
        for (int i = 0; i < SERVERS; i++) {
            out.append("    server { listen ").append(Loopback.hostPort(at.get(i))).append(" ssl; ssl_certificate ")
                    .append(leaves.get(i).certificateFile()).append("; ssl_certificate_key ")
                    .append(leaves.get(i).keyFile()).append("; ssl_stapling on; ").append(extras.get(i))
                    .append(" return 200 \"").append(i).append("\\n\"; }\n");
        }
        return out.toString();
    }
}
