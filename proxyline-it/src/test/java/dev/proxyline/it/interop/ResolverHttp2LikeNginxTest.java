package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.DnsResponder;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests over HTTP/2 (TLS, ALPN h2, curl) whose {@code proxy_pass} names a host to look up: several streams of one
 * connection wait for the same lookup, a name found, one the DNS server does not know, and one it does not answer;
 * nginx and proxyline each get the same requests, on one connection each, and answer with the same statuses and
 * bodies.
 */
@Timeout(60)
class ResolverHttp2LikeNginxTest {
    private static final String HTTP = """
            http {
                log_format pp '$remote_addr "$request" $status';
            %5$s
                server {
                    listen %1$s ssl http2;
                    ssl_certificate %2$s;
                    ssl_certificate_key %3$s;
                    resolver %4$s ipv6=off;
                    resolver_timeout 1s;
                    location / { set $n app.test; proxy_pass http://$n:%6$d; }
                    location /gone/ { set $n gone.test; proxy_pass http://$n:%6$d; }
                    location /silent/ { set $n silent.test; proxy_pass http://$n:%6$d; }
                }
            %7$s
            }
            """;
    private static final List<String> PATHS = List.of("/a", "/b?x=1", "/gone/c", "/silent/d", "/e");

    @TempDir
    Path directory;

    @Test
    void streamsThatWaitForALookupGetNginxsAnswers() throws Exception {
        Certificates.Pair certificate = Certificates.selfSigned(directory, "site", "resolver.test");
        InetSocketAddress nginx = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress proxyline = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress backend = Loopback.freePort(Loopback.BACKEND);
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        String fromNginx;
        String fromProxyline;
        try (DnsResponder dns = DnsResponder.start(Map.of("app.test", List.of(Loopback.BACKEND)),
                Set.of("silent.test"))) {
            String resolver = Loopback.hostPort(dns.address());
            String backendServer = "    server { listen " + Loopback.hostPort(backend)
                    + "; location / { return 200 \"backend $request_uri\\n\"; } }";
            try (NginxPeer peer = NginxPeer.start(nginxDirectory, HTTP.formatted(Loopback.hostPort(nginx),
                    certificate.certificate(), certificate.key(), resolver,
                    NginxPeer.httpHousekeeping(nginxDirectory), backend.getPort(), backendServer),
                    List.of(nginx, backend));
                 Proxyline ours = Proxyline.start(directory, HTTP.formatted(Loopback.hostPort(proxyline),
                         certificate.certificate(), certificate.key(), resolver, "", backend.getPort(), ""))) {
                fromNginx = curl(certificate, nginx);
                fromProxyline = curl(certificate, proxyline);
            }
            assertThat(dns.asked()).filteredOn(q -> q.startsWith("app.test")).as("found once, then kept").hasSize(2);
        }
        assertThat(fromProxyline).isEqualTo(fromNginx);
        assertThat(fromNginx).isEqualTo("""
                2 200 backend /a
                2 200 backend /b?x=1
                2 502
                2 502
                2 200 backend /e
                """);
    }

    /** Every path on one HTTP/2 connection, one after another: the version, status and body of a 200 of each. */
    private static String curl(Certificates.Pair certificate, InetSocketAddress server) {
        List<String> command = new ArrayList<>(List.of(Interop.requireBinary("curl").toString(), "-sS",
                "--http2", "--max-time", "10", "--cacert", certificate.certificate().toString(),
                "--resolve", "resolver.test:" + server.getPort() + ":" + server.getAddress().getHostAddress(),
                "-w", "\\n#%{http_version} %{http_code}\\n"));
        for (String path : PATHS) {
            command.add("https://resolver.test:" + server.getPort() + path);
        }
        Commands.Result result = Commands.runForResult(command, Duration.ofSeconds(20));
        assertThat(result.status()).as(result.output()).isZero();
        // A 502's page is each product's own: only a 200's body is kept, before its line of version and status.
        StringBuilder summary = new StringBuilder();
        String body = "";
        for (String line : result.output().lines().toList()) {
            if (line.startsWith("#")) {
                summary.append(line.substring(1)).append(line.endsWith(" 200") ? " " + body : "").append('\n');
                body = "";
            } else if (line.startsWith("backend ")) {
                body = line;
            }
        }
        return summary.toString();
    }
}
