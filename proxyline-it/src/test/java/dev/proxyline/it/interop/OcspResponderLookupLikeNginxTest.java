package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.DnsResponder;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.OcspResponder;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.SClient;
import dev.proxyline.it.harness.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code ssl_stapling} reaches a responder whose URL names a host, and what it sends: the certificate's OCSP URL
 * is {@code http://NAME:PORT/ocsp}, NAME a loopback name of {@code /etc/hosts} (nginx looks the name up at start with
 * the system's resolver and ignores stapling when that fails, so it must be one the machine knows without asking a
 * DNS server; {@code localhost} will not do, as Netty's DNS client never asks for it), with the responder listening
 * on another loopback address that only the test's DNS server gives for NAME. With that DNS server as
 * {@code resolver}, the name is looked up there for the request; without a resolver, nginx warns and uses the
 * address found at start (where nothing listens); with a DNS server that does not know the name, the request is not
 * sent. A handshake that does not ask for the status starts nothing. The requests the responder got (method,
 * target, version, Host) must be the same from both, and the same lines logged.
 */
@Timeout(120)
class OcspResponderLookupLikeNginxTest {
    private static final int SERVERS = 3;
    private static final Duration QUIET = Duration.ofMillis(700);
    /** Not one the other harnesses use: only the test's DNS server says that localhost is there. */
    private static final InetAddress RESPONDER = address(127, 0, 0, 6);

    @TempDir
    Path directory;

    @Test
    void aResponderNameIsLookedUpWithTheResolverAndAskedWithAGetLikeNginx() throws Exception {
        Optional<String> known = loopbackHostsName();
        Assumptions.assumeTrue(known.isPresent(), "/etc/hosts names no loopback address other than localhost");
        String name = known.get();
        TestPki.Issued ca = TestPki.authority(directory, "lookup-ca");
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        List<InetSocketAddress> nginxAt = new ArrayList<>();
        List<InetSocketAddress> proxylineAt = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            nginxAt.add(Loopback.freePort(Loopback.NGINX));
            proxylineAt.add(Loopback.freePort(Loopback.PROXYLINE));
        }
        try (OcspResponder responder = OcspResponder.start(ca, RESPONDER);
             DnsResponder knows = DnsResponder.start(Map.of(name, List.of(RESPONDER)), Set.of());
             DnsResponder knowsNothing = DnsResponder.start(Map.of(), Set.of());
             LogCapture ourLog = LogCapture.of("dev.proxyline.server.tls.OcspStapler")) {
            TestPki.Issued leaf = TestPki.leaf(directory, "by-name", ca,
                    Optional.of("http://" + name + ":" + responder.address().getPort() + "/ocsp"));
            List<String> resolvers = List.of("resolver " + Loopback.hostPort(knows.address()) + " ipv6=off;", "",
                    "resolver " + Loopback.hostPort(knowsNothing.address()) + " ipv6=off;");
            List<String> fromNginx;
            List<String> fromProxyline;
            List<String> nginxRequests;
            List<String> proxylineRequests;
            String nginxLog;
            try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                    + NginxPeer.httpHousekeeping(nginxDirectory) + http(nginxAt, leaf, resolvers) + "}\n", nginxAt);
                 Proxyline proxyline = Proxyline.start(directory, "http {\n" + http(proxylineAt, leaf, resolvers)
                         + "}\n")) {
                fromNginx = outcomes(nginxAt, responder);
                nginxRequests = responder.requests();
                fromProxyline = outcomes(proxylineAt, responder);
                proxylineRequests = responder.requests().subList(nginxRequests.size(), responder.requests().size());
                nginxLog = nginx.errorLog();
            }
            assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
            assertThat(fromNginx).containsExactly("0: quiet without status_request, good, later", "1: none",
                    "2: none");
            assertThat(proxylineRequests).containsExactlyElementsOf(nginxRequests);
            assertThat(nginxRequests).singleElement().asString().startsWith("GET /ocsp/M")
                    .endsWith(" HTTP/1.0 Host: " + name);
            for (String line : List.of(
                    "no resolver defined to resolve " + name + " while requesting certificate status, responder: "
                            + name,
                    name + " could not be resolved (3: Host not found) while requesting certificate status, "
                            + "responder: " + name)) {
                assertThat(nginxLog).contains(line);
                assertThat(String.join("\n", ourLog.lines())).contains(line);
            }
            assertThat(knows.asked()).contains(name + " A");
            assertThat(knowsNothing.asked()).contains(name + " A");
        }
    }

    /** Each server on its own socket with the same certificate; they differ by their {@code resolver}. */
    private static String http(List<InetSocketAddress> at, TestPki.Issued leaf, List<String> resolvers) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < SERVERS; i++) {
            out.append("    server { listen ").append(Loopback.hostPort(at.get(i))).append(" ssl; ssl_certificate ")
                    .append(leaf.certificateFile()).append("; ssl_certificate_key ").append(leaf.keyFile())
                    .append("; ssl_stapling on; ").append(resolvers.get(i)).append(" return 200 \"").append(i)
                    .append("\\n\"; }\n");
        }
        return out.toString();
    }

    /**
     * Per server: for the first, whether a handshake without status_request left the responder unasked; then the
     * status it staples once it has one, or none.
     */
    private static List<String> outcomes(List<InetSocketAddress> servers, OcspResponder responder)
            throws InterruptedException {
        List<String> out = new ArrayList<>();
        int before = responder.requests().size();
        SClient.ask(servers.get(0), List.of());
        Thread.sleep(QUIET.toMillis());
        String quiet = responder.requests().size() == before ? "quiet without status_request, "
                : "asked without status_request, ";
        for (int i = 0; i < SERVERS; i++) {
            out.add(i + ": " + (i == 0 ? quiet : "") + SClient.stapledStatus(servers.get(i)));
        }
        return out;
    }

    /** A name {@code /etc/hosts} gives a 127.x address, other than localhost and names under it. */
    private static Optional<String> loopbackHostsName() throws java.io.IOException {
        Path hosts = Path.of("/etc/hosts");
        if (!Files.isReadable(hosts)) return Optional.empty();
        for (String line : Files.readAllLines(hosts)) {
            String[] fields = line.replaceAll("#.*", "").trim().split("\\s+");
            if (fields.length < 2 || !fields[0].startsWith("127.")) continue;
            for (int i = 1; i < fields.length; i++) {
                String n = fields[i].toLowerCase(java.util.Locale.ROOT);
                if (!n.equals("localhost") && !n.endsWith(".localhost") && !n.startsWith("localhost.")) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
