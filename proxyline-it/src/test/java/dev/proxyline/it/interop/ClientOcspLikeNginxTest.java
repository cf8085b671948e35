package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.CurlPage;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.LogFiles;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.OcspResponder;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_ocsp}, {@code ssl_ocsp_responder} and {@code ssl_ocsp_cache}: the same {@code http} block in nginx and
 * in proxyline, client certificates made by the test's CA with the test's OCSP responder in their Authority
 * Information Access (good, revoked, unknown, one whose responder is down, one below a revoked intermediate CA),
 * asked by curl over HTTP/1.1 and HTTP/2. Status, page,
 * {@code $ssl_client_verify} and the access log must match, and so must how often each asked the responder, which
 * shows the cache at work. Everything on loopback addresses; no name is looked up.
 */
@Timeout(120)
class ClientOcspLikeNginxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    /**
     * 0: ssl_ocsp on, each certificate's own responder; 1: leaf, another responder, a cache; 2: a responder down;
     * 3: leaf, each certificate's own responder.
     */
    private static String http(List<InetSocketAddress> at, TestPki.Issued ca, TestPki.Issued server, String responder,
                               String down, Path logs) {
        return """
                    ssl_protocols TLSv1.2 TLSv1.3;
                    log_format oc '$server_port $status $ssl_client_verify';
                    ssl_certificate %4$s;
                    ssl_certificate_key %5$s;
                    ssl_client_certificate %6$s;
                    access_log %9$s/ocsp.log oc;
                    server {
                        listen %1$s ssl http2;
                        ssl_verify_client on;
                        ssl_ocsp on;
                        return 200 "$ssl_client_verify\\n";
                    }
                    server {
                        listen %2$s ssl;
                        ssl_verify_client optional;
                        ssl_ocsp leaf;
                        ssl_ocsp_responder %7$s;
                        ssl_ocsp_cache shared:clients:1m;
                        return 200 "$ssl_client_verify\\n";
                    }
                    server {
                        listen %3$s ssl;
                        ssl_verify_client on;
                        ssl_ocsp on;
                        ssl_ocsp_responder %8$s;
                        return 200 "$ssl_client_verify\\n";
                    }
                    server {
                        listen %10$s ssl;
                        ssl_verify_client on;
                        ssl_ocsp leaf;
                        return 200 "$ssl_client_verify\\n";
                    }
                """.formatted(Loopback.hostPort(at.get(0)), Loopback.hostPort(at.get(1)), Loopback.hostPort(at.get(2)),
                server.certificateFile(), server.keyFile(), ca.certificateFile(), responder, down, logs,
                Loopback.hostPort(at.get(3)));
    }

    private record Ask(String label, int server, Optional<TestPki.Issued> client, boolean http2) {
        Ask(String label, int server, Optional<TestPki.Issued> client) {
            this(label, server, client, false);
        }
    }

    @Test
    void clientCertificatesAreCheckedLikeNginx() throws Exception {
        Interop.requireBinary("curl");
        Path pki = Files.createDirectory(directory.resolve("pki"));
        TestPki.Issued ca = TestPki.authority(pki, "client-ca");
        TestPki.Issued server = TestPki.leaf(pki, "localhost", ca, Optional.empty());
        String down = "http://" + Loopback.hostPort(Loopback.freePort(Loopback.BACKEND)) + "/";
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        List<InetSocketAddress> nginxAt = new ArrayList<>();
        List<InetSocketAddress> proxylineAt = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nginxAt.add(Loopback.freePort(Loopback.NGINX));
            proxylineAt.add(Loopback.freePort(Loopback.PROXYLINE));
        }
        try (OcspResponder responder = OcspResponder.start(ca)) {
            TestPki.Issued subCa = TestPki.intermediate(pki, "sub-ca", ca, Optional.of(responder.url()));
            responder.revoke(subCa.certificate().getSerialNumber());
            TestPki.Issued good = TestPki.leaf(pki, "good", ca, Optional.of(responder.url()));
            TestPki.Issued revoked = TestPki.leaf(pki, "revoked", ca, Optional.of(responder.url()));
            TestPki.Issued unknown = TestPki.leaf(pki, "unknown", ca, Optional.of(responder.url()));
            TestPki.Issued unreachable = TestPki.leaf(pki, "unreachable", ca, Optional.of(down));
            responder.revoke(revoked.certificate().getSerialNumber());
            responder.unknown(unknown.certificate().getSerialNumber());
            try (OcspResponder subResponder = OcspResponder.start(subCa)) {
                TestPki.Issued below = TestPki.leaf(pki, "below", subCa, Optional.of(subResponder.url()));
                List<Ask> uncached = List.of(
                        new Ask("on, good", 0, Optional.of(good)),
                        new Ask("on, good again", 0, Optional.of(good)),
                        new Ask("on, revoked", 0, Optional.of(revoked)),
                        new Ask("on, unknown", 0, Optional.of(unknown)),
                        new Ask("on, responder down", 0, Optional.of(unreachable)),
                        new Ask("on, none", 0, Optional.empty()),
                        new Ask("ssl_ocsp_responder down, good", 2, Optional.of(good)),
                        new Ask("on, HTTP/2, good", 0, Optional.of(good), true),
                        new Ask("on, below a revoked intermediate", 0, Optional.of(below)),
                        new Ask("leaf, below a revoked intermediate", 3, Optional.of(below)));
                List<Ask> cached = List.of(
                        new Ask("leaf, cached, revoked", 1, Optional.of(revoked)),
                        new Ask("leaf, cached, revoked again", 1, Optional.of(revoked)),
                        new Ask("leaf, cached, own responder down but another named", 1, Optional.of(unreachable)),
                        new Ask("leaf, cached, the same again", 1, Optional.of(unreachable)),
                        new Ask("optional, none", 1, Optional.empty()));
                List<String> fromNginx = new ArrayList<>();
                List<String> fromProxyline = new ArrayList<>();
                List<Integer> nginxAsked = new ArrayList<>();
                List<Integer> proxylineAsked = new ArrayList<>();
                String nginxLog;
                String proxylineLog;
                try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                        + NginxPeer.httpHousekeeping(nginxDirectory)
                        + http(nginxAt, ca, server, responder.url(), down, nginxDirectory) + "}\n", nginxAt);
                     Proxyline proxyline = Proxyline.start(directory, "http {\n"
                             + http(proxylineAt, ca, server, responder.url(), down, directory) + "}\n")) {
                    for (List<Ask> asks : List.of(uncached, cached)) {
                        int before = responder.answered();
                        for (Ask ask : asks) fromNginx.add(ask.label() + ": " + curl(nginxAt.get(ask.server()), ask));
                        nginxAsked.add(responder.answered() - before);
                        before = responder.answered();
                        for (Ask ask : asks) {
                            fromProxyline.add(ask.label() + ": " + curl(proxylineAt.get(ask.server()), ask));
                        }
                        proxylineAsked.add(responder.answered() - before);
                    }
                    int lines = uncached.size() + cached.size();
                    nginxLog = portsDropped(LogFiles.awaitLines(nginxDirectory.resolve("ocsp.log"), lines, WAIT),
                            nginxAt);
                    proxylineLog = portsDropped(LogFiles.awaitLines(directory.resolve("ocsp.log"), lines, WAIT),
                            proxylineAt);
                }
                assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
                assertThat(fromNginx).containsExactly(
                        "on, good: 200 SUCCESS",
                        "on, good again: 200 SUCCESS",
                        "on, revoked: 400 400 The SSL certificate error",
                        "on, unknown: 400 400 The SSL certificate error",
                        "on, responder down: 400 400 The SSL certificate error",
                        "on, none: 400 400 No required SSL certificate was sent",
                        "ssl_ocsp_responder down, good: 400 400 The SSL certificate error",
                        "on, HTTP/2, good: 200 SUCCESS",
                        "on, below a revoked intermediate: 400 400 The SSL certificate error",
                        "leaf, below a revoked intermediate: 200 SUCCESS",
                        "leaf, cached, revoked: 400 400 The SSL certificate error",
                        "leaf, cached, revoked again: 400 400 The SSL certificate error",
                        "leaf, cached, own responder down but another named: 200 SUCCESS",
                        "leaf, cached, the same again: 200 SUCCESS",
                        "optional, none: 200 NONE");
                assertThat(proxylineLog).isEqualTo(nginxLog);
                assertThat(nginxLog).isEqualTo("""
                        0 200 SUCCESS
                        0 200 SUCCESS
                        0 400 FAILED:certificate revoked
                        0 400 FAILED:certificate status unknown
                        0 400 FAILED:certificate status request failed
                        0 400 NONE
                        2 400 FAILED:certificate status request failed
                        0 200 SUCCESS
                        0 400 FAILED:certificate revoked
                        3 200 SUCCESS
                        1 400 FAILED:certificate revoked
                        1 400 FAILED:certificate revoked
                        1 200 SUCCESS
                        1 200 SUCCESS
                        1 200 NONE
                        """);
                // without a cache every connection asks; with one, each certificate is asked about once
                assertThat(proxylineAsked).isEqualTo(nginxAsked).containsExactly(6, 2);
            }
        }
    }

    /** The access log with the port each line starts with replaced by its server's number in {@code at}. */
    private static String portsDropped(String log, List<InetSocketAddress> at) {
        StringBuilder out = new StringBuilder();
        for (String line : log.lines().toList()) {
            int space = line.indexOf(' ');
            String port = line.substring(0, space);
            int server = 0;
            while (server < at.size() && !String.valueOf(at.get(server).getPort()).equals(port)) server++;
            out.append(server).append(line.substring(space)).append('\n');
        }
        return out.toString();
    }

    /** {@code STATUS BODY}, the body's last line end dropped, an HTML error page reduced to its title. */
    private static String curl(InetSocketAddress server, Ask ask) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "10",
                ask.http2() ? "--http2" : "--http1.1",
                "--resolve", "localhost:" + server.getPort() + ":" + server.getAddress().getHostAddress(),
                "-w", "\n%{http_code}", "https://localhost:" + server.getPort() + "/"));
        ask.client().ifPresent(c -> command.addAll(List.of("--cert", c.certificateFile().toString(), "--key",
                c.keyFile().toString())));
        return CurlPage.statusAndPage(Commands.run(command, WAIT));
    }
}
