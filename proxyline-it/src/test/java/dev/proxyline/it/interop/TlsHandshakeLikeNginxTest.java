package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.SClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_reject_handshake}, {@code ssl_ecdh_curve}, {@code ssl_session_tickets off} and
 * {@code ssl_session_ticket_key}: the same {@code http} block in nginx and in proxyline, asked the same handshakes by
 * {@code openssl s_client}; the alert, the protocol and suite, the key exchange group, the tickets sent and whether a
 * saved session resumes must match. Each setting has its own socket: nginx applies curves and ticket settings per
 * socket (the default server's), not per SNI name.
 */
@Timeout(120)
class TlsHandshakeLikeNginxTest {
    private static final String HTTP = """
                ssl_certificate %1$s;
                ssl_certificate_key %2$s;
                ssl_protocols TLSv1.2 TLSv1.3;
                server { listen %3$s ssl default_server; ssl_reject_handshake on; }
                server { listen %3$s ssl; server_name known.test; return 200 "known\\n"; }
                server { listen %4$s ssl; ssl_ecdh_curve secp384r1:prime256v1; return 200 "curves\\n"; }
                server { listen %5$s ssl; ssl_session_tickets off; return 200 "off\\n"; }
                server { listen %6$s ssl; ssl_session_ticket_key %7$s; return 200 "keys\\n"; }
            """;

    @TempDir
    Path directory;

    /** One handshake: the socket (0 reject, 1 curves, 2 tickets off, 3 key file) and s_client's options. */
    private record Ask(String label, int socket, List<String> options) {
    }

    @Test
    void handshakesMatchNginx() throws IOException {
        Certificates.Pair pair = Certificates.selfSigned(directory, "site", "known.test");
        byte[] key = new byte[80];
        new SecureRandom().nextBytes(key);
        Path keyFile = directory.resolve("ticket.key");
        Files.write(keyFile, key);
        List<Ask> asks = List.of(
                new Ask("unknown name", 0, List.of("-servername", "unknown.test")),
                new Ask("no name", 0, List.of("-noservername")),
                new Ask("known name", 0, List.of("-servername", "known.test")),
                new Ask("curves, client's default", 1, List.of()),
                new Ask("curves, client prefers X25519 then P-256", 1, List.of("-groups", "X25519:prime256v1")),
                new Ask("curves, client has X25519 only", 1, List.of("-groups", "X25519")),
                new Ask("tickets off, TLS 1.2", 2, List.of("-tls1_2")),
                new Ask("tickets off, TLS 1.3", 2, List.of("-tls1_3")),
                new Ask("ticket key, TLS 1.2", 3, List.of("-tls1_2")),
                new Ask("ticket key, TLS 1.3", 3, List.of("-tls1_3")));
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        List<InetSocketAddress> nginxAt = new ArrayList<>();
        List<InetSocketAddress> proxylineAt = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nginxAt.add(Loopback.freePort(Loopback.NGINX));
            proxylineAt.add(Loopback.freePort(Loopback.PROXYLINE));
        }
        List<String> fromNginx = new ArrayList<>();
        List<String> fromProxyline = new ArrayList<>();
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n    log_format pp '$status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory) + http(pair, nginxAt, keyFile) + "}\n", nginxAt);
             Proxyline proxyline = Proxyline.start(directory, "http {\n" + http(pair, proxylineAt, keyFile) + "}\n")) {
            for (Ask ask : asks) {
                fromNginx.add(ask(nginxAt.get(ask.socket()), ask, "nginx"));
                fromProxyline.add(ask(proxylineAt.get(ask.socket()), ask, "proxyline"));
            }
        }
        assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
        assertThat(fromNginx.get(0)).isEqualTo("unknown name: alert tlsv1 unrecognized name (112), New, (NONE), "
                + "Cipher is (NONE)");
        assertThat(fromNginx.get(4)).contains("ECDH, prime256v1, 256 bits");
        assertThat(fromNginx.get(5)).startsWith("curves, client has X25519 only: alert sslv3 alert handshake failure");
        assertThat(fromNginx.get(6)).isEqualTo("tickets off, TLS 1.2: alert none, New, TLSv1.2, Cipher is "
                + "ECDHE-ECDSA-AES256-GCM-SHA384, key X25519, 253 bits, 0 tickets, then New");
        assertThat(fromNginx.get(7)).endsWith("TLS_AES_256_GCM_SHA384, key X25519, 253 bits, then New");
        assertThat(fromNginx.get(8)).endsWith("1 tickets, then Reused");
        assertThat(fromNginx.get(9)).endsWith("then Reused");
    }

    private static String http(Certificates.Pair pair, List<InetSocketAddress> at, Path keyFile) {
        return HTTP.formatted(pair.certificate(), pair.key(), Loopback.hostPort(at.get(0)), Loopback.hostPort(at.get(1)),
                Loopback.hostPort(at.get(2)), Loopback.hostPort(at.get(3)), keyFile);
    }

    /** What s_client saw, and for the ticket sockets whether the saved session resumes on the same server. */
    private String ask(InetSocketAddress server, Ask ask, String peer) {
        Path saved = directory.resolve(peer + "-" + asksName(ask) + ".session");
        List<String> options = new ArrayList<>(ask.options());
        options.addAll(List.of("-sess_out", saved.toString()));
        String out = SClient.ask(server, options);
        String alert = SClient.alert(out);
        String seen = ask.label() + ": alert " + (alert.isEmpty() ? "none" : alert) + ", " + SClient.session(out);
        if (ask.socket() == 0 && alert.isEmpty()) return seen + ", body " + out.lines().reduce((a, b) -> b).orElse("");
        if (ask.socket() < 1 || !alert.isEmpty()) return seen;
        seen += ", key " + SClient.temporaryKey(out);
        if (ask.socket() < 2) return seen;
        List<String> again = new ArrayList<>(ask.options());
        again.addAll(List.of("-sess_in", saved.toString()));
        String resumed = Files.exists(saved) ? SClient.session(SClient.ask(server, again)) : "New (nothing saved)";
        // Over TLS 1.3 with tickets off, nginx on OpenSSL still sends tickets (stateful ones, useless without
        // ssl_session_cache) where BoringSSL sends none: only whether the session resumes is compared.
        String tickets = ask.options().contains("-tls1_2") ? SClient.tickets(out) + " tickets, " : "";
        return seen + ", " + tickets + "then " + resumed.split(",")[0].split(" ")[0];
    }

    private static String asksName(Ask ask) {
        return ask.label().replaceAll("[^A-Za-z0-9]+", "-");
    }
}
