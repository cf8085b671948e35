package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.CurlPage;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.LogFiles;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_verify_client} and the {@code $ssl_client_*} variables, word for word the same {@code http} block in
 * nginx and in proxyline, asked by curl with and without client certificates made by the {@code openssl} CLI: a CA,
 * a client it issued, one below an intermediate (sent with and without its chain), a self-signed stranger. Statuses,
 * the variables, and the access log's status (nginx's 495/496 are logged as 400) must match; nginx's 400 pages are
 * HTML where proxyline answers their title as text.
 */
@Timeout(120)
class ClientCertificateLikeNginxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String VARIABLES = "$ssl_client_verify|$ssl_client_s_dn|$ssl_client_i_dn|$ssl_client_serial"
            + "|$ssl_client_fingerprint|$ssl_client_v_start|$ssl_client_v_end|$ssl_client_v_remain|$ssl_protocol"
            + "|$ssl_server_name|$https";
    private static final String HTTP = """
                log_format cc '$status $ssl_client_verify';
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_certificate %1$s/server.crt;
                ssl_certificate_key %1$s/server.key;
                ssl_client_certificate %1$s/ca.crt;
                server {
                    listen %2$s ssl http2;
                    server_name localhost;
                    ssl_verify_client on;
                    access_log %3$s/verify.log cc;
                    location / { return 200 "%6$s\\n"; }
                }
                server {
                    listen %2$s ssl http2;
                    server_name other.test;
                    return 200 "other $ssl_client_verify\\n";
                }
                server {
                    listen %4$s ssl;
                    ssl_verify_client optional;
                    ssl_verify_depth 0;
                    location / { return 200 "%6$s\\n"; }
                    location /pem { return 200 "[$ssl_client_escaped_cert][$ssl_client_raw_cert][$ssl_client_cert]"; }
                }
                server {
                    listen %5$s ssl;
                    ssl_verify_client optional_no_ca;
                    location / { return 200 "%6$s\\n"; }
                }
            """;

    @TempDir
    Path directory;

    /** A client case: a label, the server (0 on, 1 optional depth 0, 2 optional_no_ca), path, curl's options. */
    private record Ask(String label, int server, String path, List<String> options) {}

    @Test
    void verificationAndVariablesMatchNginx() throws Exception {
        Interop.requireBinary("curl");
        Path pki = Files.createDirectory(directory.resolve("pki"));
        makeCertificates(pki);
        // $ssl_client_v_remain counts whole days in whole seconds: in the second the certificates were made, a 10-day
        // certificate has 10 days left, a second later 9; both servers must be asked on the same side of that.
        Thread.sleep(1100);
        List<String> leaf = List.of("--cert", pki.resolve("leaf.crt").toString(), "--key", pki.resolve("leaf.key").toString());
        List<String> chained = List.of("--cert", pki.resolve("below-chain.crt").toString(), "--key",
                pki.resolve("below.key").toString());
        List<String> unchained = List.of("--cert", pki.resolve("below.crt").toString(), "--key",
                pki.resolve("below.key").toString());
        List<String> stranger = List.of("--cert", pki.resolve("stranger.crt").toString(), "--key",
                pki.resolve("stranger.key").toString());
        List<String> none = List.of();
        List<Ask> asks = List.of(
                new Ask("on, issued by the CA", 0, "/", leaf),
                new Ask("on, none", 0, "/", none),
                new Ask("on, stranger", 0, "/", stranger),
                new Ask("on, below an intermediate, chain sent", 0, "/", chained),
                new Ask("on, below an intermediate, chain not sent", 0, "/", unchained),
                new Ask("on, HTTP/2", 0, "/", with(leaf, "--http2")),
                new Ask("on, none, HTTP/2", 0, "/", with(none, "--http2")),
                new Ask("optional depth 0, none", 1, "/", none),
                new Ask("optional depth 0, issued by the CA", 1, "/", leaf),
                new Ask("optional depth 0, below an intermediate", 1, "/", chained),
                new Ask("optional, stranger", 1, "/", stranger),
                new Ask("optional, the certificate as PEM", 1, "/pem", leaf),
                new Ask("optional_no_ca, stranger", 2, "/", stranger),
                new Ask("optional_no_ca, chain not sent", 2, "/", unchained),
                new Ask("optional_no_ca, chain sent", 2, "/", chained),
                new Ask("optional_no_ca, none", 2, "/", none),
                new Ask("on, a Host naming no server, other than the SNI name", 0, "/",
                        with(with(leaf, "-H"), "Host: unknown.test")),
                new Ask("on, a Host naming a server without verification", 0, "/",
                        with(with(leaf, "-H"), "Host: other.test")),
                new Ask("optional_no_ca, SNI naming no server, another Host", 2, "/",
                        with(with(leaf, "-H"), "Host: other.test")));

        Asked asked = askBoth(3, (at, logs) -> HTTP.formatted(pki, Loopback.hostPort(at.get(0)), logs,
                Loopback.hostPort(at.get(1)), Loopback.hostPort(at.get(2)), VARIABLES), asks, "verify.log", 8);
        List<String> fromNginx = asked.nginx();
        List<String> fromProxyline = asked.proxyline();
        String nginxLog = asked.nginxLog();
        String proxylineLog = asked.proxylineLog();
        // nginx's pages are HTML; only their titles are compared.
        List<String> nginxComparable = fromNginx.stream().map(ClientCertificateLikeNginxTest::titleOnly).toList();
        assertThat(fromProxyline).containsExactlyElementsOf(nginxComparable);
        assertThat(fromNginx.get(0)).startsWith("on, issued by the CA: 200 SUCCESS|CN=client one,O=Acme\\, Inc.,C=DE|"
                + "CN=Test Root,O=Test Org,C=DE|0FED|");
        assertThat(fromNginx.get(1)).isEqualTo("on, none: 400 400 No required SSL certificate was sent");
        assertThat(fromNginx.get(12)).startsWith("optional_no_ca, stranger: 200 FAILED:self-signed certificate|");
        assertThat(proxylineLog).isEqualTo(nginxLog);
        assertThat(nginxLog.lines().map(l -> l.substring(0, 3)).toList())
                .containsExactly("200", "400", "400", "200", "400", "200", "400", "421");
        assertThat(fromNginx.get(16))
                .isEqualTo("on, a Host naming no server, other than the SNI name: 421 421 Misdirected Request");
        assertThat(fromNginx.get(17)).isEqualTo("on, a Host naming a server without verification: 200 other SUCCESS");
    }

    @Test
    void aResumedSessionKeepsItsClientCertificate() throws Exception {
        Interop.requireBinary("openssl");
        Path pki = Files.createDirectory(directory.resolve("pki"));
        makeCertificates(pki);
        String http = """
                    ssl_protocols TLSv1.2 TLSv1.3;
                    server {
                        listen %s ssl;
                        ssl_certificate %2$s/server.crt;
                        ssl_certificate_key %2$s/server.key;
                        ssl_client_certificate %2$s/ca.crt;
                        ssl_verify_client on;
                        return 200 "$ssl_client_verify $ssl_client_s_dn\\n";
                    }
                """;
        InetSocketAddress nginxAt = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress proxylineAt = Loopback.freePort(Loopback.PROXYLINE);
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory) + http.formatted(Loopback.hostPort(nginxAt), pki) + "}\n",
                List.of(nginxAt));
             Proxyline proxyline = Proxyline.start(directory, "http {\n"
                     + http.formatted(Loopback.hostPort(proxylineAt), pki) + "}\n")) {
            for (String version : List.of("-tls1_2", "-tls1_3")) {
                List<String> fromNginx = twoHandshakes(nginxAt, pki, version);
                List<String> fromProxyline = twoHandshakes(proxylineAt, pki, version);
                assertThat(fromNginx).containsExactly("New", "SUCCESS CN=client one,O=Acme\\, Inc.,C=DE", "Reused",
                        "SUCCESS CN=client one,O=Acme\\, Inc.,C=DE");
                assertThat(fromProxyline).isEqualTo(fromNginx);
            }
        }
    }

    @Test
    void revocationListsAsNginx() throws Exception {
        Path pki = Files.createDirectory(directory.resolve("pki"));
        makeCertificates(pki);
        request(pki, "revoked", "/CN=revoked");
        openssl(pki, "x509", "-req", "-in", "revoked.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "0x77",
                "-days", "10", "-out", "revoked.crt", "-extfile", "client.ext");
        Files.writeString(pki.resolve("index.txt"), "");
        Files.writeString(pki.resolve("crlnumber"), "1000\n");
        Files.writeString(pki.resolve("ca.cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = " + pki.resolve("index.txt")
                + "\ncrlnumber = " + pki.resolve("crlnumber") + "\ndefault_md = sha256\ndefault_crl_days = 5\n");
        openssl(pki, "ca", "-config", pki.resolve("ca.cnf").toString(), "-keyfile", "ca.key", "-cert", "ca.crt",
                "-revoke", "revoked.crt");
        openssl(pki, "ca", "-config", pki.resolve("ca.cnf").toString(), "-keyfile", "ca.key", "-cert", "ca.crt",
                "-gencrl", "-out", pki.resolve("ca.crl.pem").toString());
        String http = """
                    ssl_protocols TLSv1.2 TLSv1.3;
                    log_format cc '$status $ssl_client_verify';
                    server {
                        listen %1$s ssl;
                        ssl_certificate %2$s/server.crt;
                        ssl_certificate_key %2$s/server.key;
                        ssl_client_certificate %2$s/ca.crt;
                        ssl_crl %2$s/ca.crl.pem;
                        ssl_verify_client optional_no_ca;
                        ssl_verify_depth 2;
                        access_log %3$s/crl.log cc;
                        return 200 "$ssl_client_verify\\n";
                    }
                """;
        InetSocketAddress nginxAt = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress proxylineAt = Loopback.freePort(Loopback.PROXYLINE);
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        List<List<String>> clients = List.of(
                List.of("--cert", pki.resolve("leaf.crt").toString(), "--key", pki.resolve("leaf.key").toString()),
                List.of("--cert", pki.resolve("revoked.crt").toString(), "--key", pki.resolve("revoked.key").toString()),
                List.of("--cert", pki.resolve("below-chain.crt").toString(), "--key", pki.resolve("below.key").toString()),
                List.of("--cert", pki.resolve("stranger.crt").toString(), "--key", pki.resolve("stranger.key").toString()),
                List.of());
        String nginxLog;
        String proxylineLog;
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory)
                + http.formatted(Loopback.hostPort(nginxAt), pki, nginxDirectory) + "}\n", List.of(nginxAt));
             Proxyline proxyline = Proxyline.start(directory, "http {\n"
                     + http.formatted(Loopback.hostPort(proxylineAt), pki, directory) + "}\n")) {
            for (List<String> client : clients) {
                curl(nginxAt, new Ask("crl", 0, "/", client));
                curl(proxylineAt, new Ask("crl", 0, "/", client));
            }
            nginxLog = LogFiles.awaitLines(nginxDirectory.resolve("crl.log"), clients.size(), WAIT);
            proxylineLog = LogFiles.awaitLines(directory.resolve("crl.log"), clients.size(), WAIT);
        }
        assertThat(nginxLog).isEqualTo("""
                200 SUCCESS
                400 FAILED:certificate revoked
                400 FAILED:unable to get certificate CRL
                400 FAILED:unable to get certificate CRL
                200 NONE
                """);
        assertThat(proxylineLog).isEqualTo(nginxLog);
    }

    /**
     * {@code error_page 495 496}: the refusals go to the page, which answers 400 (nginx's reading of its own internal
     * statuses) or the status after {@code =}; {@code error_page 400} does not catch them.
     */
    @Test
    void certificateRefusalsGoToTheirErrorPages() throws Exception {
        Path pki = Files.createDirectory(directory.resolve("pki"));
        makeCertificates(pki);
        String http = """
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_certificate %2$s/server.crt;
                    ssl_certificate_key %2$s/server.key;
                    ssl_client_certificate %2$s/ca.crt;
                    log_format cc '$status $uri $ssl_client_verify';
                    server {
                        listen %1$s ssl;
                        ssl_verify_client on;
                        access_log %3$s/pages.log cc;
                        error_page 495 /errors/bad;
                        error_page 496 =403 /errors/none;
                        location /errors/ { internal; return 200 "page $uri $ssl_client_verify\\n"; }
                        location / { return 200 "in $ssl_client_verify\\n"; }
                    }
                    server {
                        listen %4$s ssl;
                        ssl_verify_client on;
                        error_page 400 /errors/400;
                        location /errors/ { internal; return 200 "page $uri\\n"; }
                        location / { return 200 "in\\n"; }
                    }
                """;
        List<String> stranger = List.of("--cert", pki.resolve("stranger.crt").toString(), "--key",
                pki.resolve("stranger.key").toString());
        List<String> leaf = List.of("--cert", pki.resolve("leaf.crt").toString(), "--key",
                pki.resolve("leaf.key").toString());
        List<Ask> asks = List.of(new Ask("stranger", 0, "/x", stranger), new Ask("none", 0, "/x", List.of()),
                new Ask("issued", 0, "/x", leaf), new Ask("none, only a 400 page", 1, "/x", List.of()));
        Asked asked = askBoth(2, (at, logs) -> http.formatted(Loopback.hostPort(at.get(0)), pki, logs,
                Loopback.hostPort(at.get(1))), asks, "pages.log", 3);
        assertThat(asked.nginx()).containsExactly(
                "stranger: 400 page /errors/bad FAILED:self-signed certificate",
                "none: 403 page /errors/none NONE",
                "issued: 200 in SUCCESS",
                "none, only a 400 page: 400 400 No required SSL certificate was sent");
        assertThat(asked.proxyline()).containsExactlyElementsOf(asked.nginx());
        assertThat(asked.proxylineLog()).isEqualTo(asked.nginxLog());
    }

    @Test
    void onlyTheClientCertificateFilesCasAreNamedToTheClient() throws Exception {
        Path pki = Files.createDirectory(directory.resolve("pki"));
        makeCertificates(pki);
        String http = """
                    ssl_protocols TLSv1.2 TLSv1.3;
                    server {
                        listen %1$s ssl;
                        ssl_certificate %2$s/server.crt;
                        ssl_certificate_key %2$s/server.key;
                        ssl_client_certificate %2$s/ca.crt;
                        ssl_trusted_certificate %2$s/intermediate.crt;
                        ssl_verify_client optional;
                        return 200 "$ssl_client_verify\\n";
                    }
                """;
        InetSocketAddress nginxAt = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress proxylineAt = Loopback.freePort(Loopback.PROXYLINE);
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory) + http.formatted(Loopback.hostPort(nginxAt), pki) + "}\n",
                List.of(nginxAt));
             Proxyline proxyline = Proxyline.start(directory, "http {\n"
                     + http.formatted(Loopback.hostPort(proxylineAt), pki) + "}\n")) {
            List<String> fromNginx = acceptableNames(nginxAt);
            assertThat(fromNginx).containsExactly("C = DE, O = Test Org, CN = Test Root");
            assertThat(acceptableNames(proxylineAt)).isEqualTo(fromNginx);
        }
    }

    /** The CA names of the server's certificate request, as {@code openssl s_client} lists them. */
    private static List<String> acceptableNames(InetSocketAddress server) {
        String out = Commands.run(List.of(Interop.requireBinary("openssl").toString(), "s_client", "-connect",
                Loopback.hostPort(server), "-servername", "localhost", "-tls1_2"), WAIT);
        List<String> names = new ArrayList<>();
        boolean in = false;
        for (String line : out.lines().toList()) {
            if (line.startsWith("Acceptable client certificate CA names")) {
                in = true;
            } else if (in && (line.startsWith("Client Certificate Types") || line.startsWith("Requested ")
                    || line.startsWith("---") || line.startsWith("Shared "))) {
                break;
            } else if (in) {
                names.add(line.strip());
            }
        }
        return names;
    }

    /** For a first handshake and one resuming its session: New or Reused, and the body's line. */
    private List<String> twoHandshakes(InetSocketAddress server, Path pki, String version) throws Exception {
        Path session = directory.resolve("session-" + server.getPort() + version);
        List<String> out = new ArrayList<>();
        for (String option : List.of("-sess_out", "-sess_in")) {
            Process p = new ProcessBuilder(Interop.requireBinary("openssl").toString(), "s_client", "-connect",
                    Loopback.hostPort(server), "-servername", "localhost", version, "-cert",
                    pki.resolve("leaf.crt").toString(), "-key", pki.resolve("leaf.key").toString(), option,
                    session.toString(), "-ign_eof").redirectErrorStream(true).start();
            p.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl s_client did not finish");
            }
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            out.add(text.lines().filter(l -> l.startsWith("New,") || l.startsWith("Reused,")).findFirst()
                    .map(l -> l.substring(0, l.indexOf(','))).orElse(text));
            out.add(text.lines().filter(l -> l.startsWith("SUCCESS") || l.startsWith("NONE") || l.startsWith("FAILED")
                    || l.contains("<title>")).findFirst().orElse(text));
        }
        return out;
    }

    /** What nginx and proxyline answered to the same asks, and then their access logs. */
    private record Asked(List<String> nginx, List<String> proxyline, String nginxLog, String proxylineLog) {}

    /**
     * Each ask through curl to nginx and to proxyline, each serving {@code http} made for its {@code servers} listen
     * addresses and its log directory; then each one's {@code log} once it has {@code lines} lines.
     */
    private Asked askBoth(int servers, BiFunction<List<InetSocketAddress>, Path, String> http, List<Ask> asks,
                          String log, int lines) throws Exception {
        List<InetSocketAddress> nginxAt = new ArrayList<>();
        List<InetSocketAddress> proxylineAt = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            nginxAt.add(Loopback.freePort(Loopback.NGINX));
            proxylineAt.add(Loopback.freePort(Loopback.PROXYLINE));
        }
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        List<String> fromNginx = new ArrayList<>();
        List<String> fromProxyline = new ArrayList<>();
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory) + http.apply(nginxAt, nginxDirectory) + "}\n", nginxAt);
             Proxyline proxyline = Proxyline.start(directory, "http {\n" + http.apply(proxylineAt, directory) + "}\n")) {
            for (Ask ask : asks) {
                fromNginx.add(ask.label() + ": " + curl(nginxAt.get(ask.server()), ask));
                fromProxyline.add(ask.label() + ": " + curl(proxylineAt.get(ask.server()), ask));
            }
            return new Asked(fromNginx, fromProxyline, LogFiles.awaitLines(nginxDirectory.resolve(log), lines, WAIT),
                    LogFiles.awaitLines(directory.resolve(log), lines, WAIT));
        }
    }

    private static List<String> with(List<String> options, String more) {
        List<String> out = new ArrayList<>(options);
        out.add(more);
        return out;
    }

    /** Status and body; an HTML error page becomes its title, the form proxyline answers in. */
    private static String titleOnly(String answer) {
        int start = answer.indexOf("<title>");
        if (start < 0) return answer;
        String code = answer.substring(answer.indexOf(": ") + 2, answer.indexOf(": ") + 6);
        return answer.substring(0, answer.indexOf(": ") + 2) + code
                + answer.substring(start + 7, answer.indexOf("</title>"));
    }

    /** {@code STATUS BODY}, the body's last line end dropped, an HTML page reduced to its title. */
    private String curl(InetSocketAddress server, Ask ask) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "10", "--http1.1",
                "--resolve", "localhost:" + server.getPort() + ":" + server.getAddress().getHostAddress(),
                "-w", "\n%{http_code}", "https://localhost:" + server.getPort() + ask.path()));
        command.addAll(ask.options());
        if (ask.options().contains("--http2")) command.remove("--http1.1");
        return CurlPage.statusAndPage(Commands.run(command, WAIT));
    }


    /** The openssl CLI, as an operator would make them; EC P-256 keys. */
    private static void makeCertificates(Path pki) throws IOException {
        openssl(pki, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/C=DE/O=Test Org/CN=Test Root",
                "-addext", "basicConstraints=critical,CA:TRUE");
        Files.writeString(pki.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\n");
        Files.writeString(pki.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        request(pki, "intermediate", "/CN=Test Intermediate");
        openssl(pki, "x509", "-req", "-in", "intermediate.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
                "0x1a2b", "-days", "30", "-out", "intermediate.crt", "-extfile", "ca.ext");
        request(pki, "leaf", "/C=DE/O=Acme, Inc./CN=client one");
        openssl(pki, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "0x0fed",
                "-days", "10", "-out", "leaf.crt", "-extfile", "client.ext");
        request(pki, "below", "/CN=client two");
        openssl(pki, "x509", "-req", "-in", "below.csr", "-CA", "intermediate.crt", "-CAkey", "intermediate.key",
                "-set_serial", "5", "-days", "10", "-out", "below.crt", "-extfile", "client.ext");
        Files.writeString(pki.resolve("below-chain.crt"),
                Files.readString(pki.resolve("below.crt")) + Files.readString(pki.resolve("intermediate.crt")));
        openssl(pki, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
                "-keyout", "stranger.key", "-out", "stranger.crt", "-subj", "/CN=stranger");
        openssl(pki, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", "server.key", "-out", "server.crt", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost");
    }

    private static void request(Path pki, String name, String subject) {
        openssl(pki, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", subject);
    }

    private static void openssl(Path pki, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Interop.requireBinary("openssl").toString());
        for (String a : arguments) {
            command.add(a.endsWith(".key") || a.endsWith(".crt") || a.endsWith(".csr") || a.endsWith(".ext")
                    ? pki.resolve(a).toString() : a);
        }
        Commands.Result result = Commands.runForResult(command, WAIT);
        assertThat(result.status()).as(String.join(" ", command) + "\n" + result.output()).isZero();
    }
}
