package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.SClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx's handshake settings on proxyline's TLS servers, seen by {@code openssl s_client}: the curve a client gets,
 * tickets off over TLS 1.2 and 1.3, a ticket key file that lets a second server resume the first one's sessions,
 * DHE with {@code ssl_dhparam} on a server with several certificates (the JDK's engine), and a refused handshake.
 */
@Timeout(120)
class TlsHandshakeTest {
    @TempDir
    Path directory;

    @Test
    void curvesFollowSslEcdhCurve() {
        InetSocketAddress auto = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress listed = Loopback.freePort(Loopback.PROXYLINE);
        try (Proxyline proxyline = Proxyline.start(directory, certificate() + """
                    server { listen %s ssl; return 200 "ok\\n"; }
                    server { listen %s ssl; ssl_ecdh_curve secp384r1:prime256v1; return 200 "ok\\n"; }
                }
                """.formatted(Loopback.hostPort(auto), Loopback.hostPort(listed)))) {
            assertThat(SClient.temporaryKey(SClient.ask(auto, List.of()))).isEqualTo("X25519, 253 bits");
            assertThat(SClient.temporaryKey(SClient.ask(listed, List.of()))).isEqualTo("ECDH, secp384r1, 384 bits");
            assertThat(SClient.temporaryKey(SClient.ask(listed, List.of("-groups", "X25519:prime256v1"))))
                    .isEqualTo("ECDH, prime256v1, 256 bits");
            assertThat(SClient.ask(listed, List.of("-groups", "X25519"))).contains("alert").doesNotContain("Reused,");
        }
    }

    @Test
    void ticketsOffIssuesNoTicketAndOnlyTheCacheResumes() {
        InetSocketAddress off = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress offCached = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress on = Loopback.freePort(Loopback.PROXYLINE);
        try (Proxyline proxyline = Proxyline.start(directory, certificate() + """
                    server { listen %s ssl; ssl_session_tickets off; return 200 "ok\\n"; }
                    server {
                        listen %s ssl;
                        ssl_conf_command Options -SessionTicket;
                        ssl_session_cache shared:SSL:1m;
                        return 200 "ok\\n";
                    }
                    server { listen %s ssl; return 200 "ok\\n"; }
                }
                """.formatted(Loopback.hostPort(off), Loopback.hostPort(offCached), Loopback.hostPort(on)))) {
            for (String version : List.of("-tls1_2", "-tls1_3")) {
                Resumption none = resume(off, off, version, "off" + version);
                assertThat(none.ticketsFirst()).as(version).isZero();
                assertThat(none.second()).as(version).doesNotStartWith("Reused");
                Resumption ticket = resume(on, on, version, "on" + version);
                assertThat(ticket.ticketsFirst()).as(version).isPositive();
                assertThat(ticket.second()).as(version).startsWith("Reused, " + version.replace("-tls1_", "TLSv1."));
            }
            Resumption cached = resume(offCached, offCached, "-tls1_2", "cached");
            assertThat(cached.ticketsFirst()).isZero();
            assertThat(cached.second()).startsWith("Reused, TLSv1.2");
            // TLS 1.3 resumes only with tickets (see docs/configuration.md: OpenSSL's nginx would use the cache).
            assertThat(resume(offCached, offCached, "-tls1_3", "cached13").ticketsFirst()).isZero();
        }
    }

    @Test
    void aSharedTicketKeyFileResumesAcrossServers() throws IOException {
        Path keys = directory.resolve("keys");
        Files.createDirectory(keys);
        SecureRandom random = new SecureRandom();
        byte[] old = new byte[48];
        byte[] current = new byte[80];
        random.nextBytes(old);
        random.nextBytes(current);
        Files.write(keys.resolve("old.key"), old);
        Files.write(keys.resolve("current.key"), current);
        Path first = Files.createDirectory(directory.resolve("first"));
        Path second = Files.createDirectory(directory.resolve("second"));
        Certificates.Pair pair = Certificates.selfSigned(directory, "site", "localhost");
        InetSocketAddress a = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress b = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress withOldOnly = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress ownKeys = Loopback.freePort(Loopback.PROXYLINE);
        String shared = "ssl_session_ticket_key %1$s/current.key; ssl_session_ticket_key %1$s/old.key;".formatted(keys);
        String http = """
                http {
                    ssl_certificate %s; ssl_certificate_key %s;
                    server { listen %s ssl; %s return 200 "ok\\n"; }
                    server { listen %s ssl; %s return 200 "ok\\n"; }
                }
                """;
        try (Proxyline one = Proxyline.start(first, http.formatted(pair.certificate(), pair.key(), Loopback.hostPort(a),
                shared, Loopback.hostPort(ownKeys), ""));
             Proxyline two = Proxyline.start(second, http.formatted(pair.certificate(), pair.key(), Loopback.hostPort(b),
                     shared, Loopback.hostPort(withOldOnly), "ssl_session_ticket_key " + keys + "/old.key;"))) {
            for (String version : List.of("-tls1_2", "-tls1_3")) {
                assertThat(resume(a, b, version, "shared" + version).second()).as(version).startsWith("Reused");
                assertThat(resume(b, a, version, "back" + version).second()).as(version).startsWith("Reused");
                // Only the first file encrypts: a server that has the other one alone cannot read the tickets.
                assertThat(resume(a, withOldOnly, version, "old" + version).second()).as(version).startsWith("New");
                assertThat(resume(ownKeys, b, version, "own" + version).second()).as(version).startsWith("New");
            }
        }
    }

    @Test
    void dhparamEnablesDheOnTheJdkEngine() throws IOException {
        Path openssl = Interop.requireBinary("openssl");
        Path dh = directory.resolve("dh.pem");
        Commands.run(List.of(openssl.toString(), "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt",
                "group:ffdhe2048", "-out", dh.toString()), Duration.ofSeconds(20));
        Path rsaKey = directory.resolve("rsa.key");
        Path rsaCert = directory.resolve("rsa.crt");
        Commands.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=localhost", "-keyout", rsaKey.toString(), "-out", rsaCert.toString()), Duration.ofSeconds(20));
        Certificates.Pair ec = Certificates.selfSigned(directory, "ec", "localhost");
        InetSocketAddress with = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress without = Loopback.freePort(Loopback.PROXYLINE);
        String server = """
                    server {
                        listen %s ssl;
                        ssl_certificate %s; ssl_certificate_key %s;
                        ssl_certificate %s; ssl_certificate_key %s;
                        ssl_ciphers ECDHE+AESGCM:DHE+AESGCM;
                        %s
                        return 200 "ok\\n";
                    }
                """;
        try (Proxyline proxyline = Proxyline.start(directory, "http {\n"
                + server.formatted(Loopback.hostPort(with), rsaCert, rsaKey, ec.certificate(), ec.key(),
                        "ssl_dhparam " + dh + ";")
                + server.formatted(Loopback.hostPort(without), rsaCert, rsaKey, ec.certificate(), ec.key(), "")
                + "}\n")) {
            List<String> dhe = List.of("-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256");
            String answer = SClient.ask(with, dhe);
            assertThat(SClient.session(answer)).isEqualTo("New, TLSv1.2, Cipher is DHE-RSA-AES128-GCM-SHA256");
            assertThat(SClient.temporaryKey(answer)).startsWith("DH, ");
            assertThat(SClient.session(SClient.ask(without, dhe))).startsWith("New, (NONE)");
            assertThat(SClient.session(SClient.ask(without, List.of("-tls1_2")))).contains("ECDHE-");
        }
    }

    @Test
    void rejectHandshakeAlertsForNamesOnlyItsServerWouldAnswer() {
        InetSocketAddress socket = Loopback.freePort(Loopback.PROXYLINE);
        try (LogCapture log = LogCapture.of("dev.proxyline");
             Proxyline proxyline = Proxyline.start(directory, certificate() + """
                    server { listen %1$s ssl default_server; ssl_reject_handshake on; }
                    server { listen %1$s ssl; server_name known.test; return 200 "known\\n"; }
                    server { listen %1$s ssl; server_name closed.test; ssl_reject_handshake on; }
                }
                """.formatted(Loopback.hostPort(socket)))) {
            for (List<String> name : List.of(List.of("-servername", "unknown.test"), List.of("-noservername"),
                    List.of("-servername", "closed.test"))) {
                String answer = SClient.ask(socket, name);
                assertThat(SClient.alert(answer)).as(name.toString()).isEqualTo("tlsv1 unrecognized name (112)");
                assertThat(SClient.session(answer)).as(name.toString()).startsWith("New, (NONE)");
            }
            // Counted and logged as a refused handshake, naming the peer and the name.
            assertThat(log.awaitLine(l -> l.contains("ssl_reject_handshake refused the server name \"closed.test\""),
                    Duration.ofSeconds(10))).contains("TLS handshake with /127.0.0.");
            String known = SClient.ask(socket, List.of("-servername", "known.test"));
            assertThat(SClient.session(known)).startsWith("New, TLSv1.3");
            assertThat(known).contains("known");
        }
    }

    /** The test's certificate for every server of an http block that this opens. */
    private String certificate() {
        Certificates.Pair pair = Certificates.selfSigned(directory, "site", "localhost");
        return "http {\n    ssl_certificate %s; ssl_certificate_key %s;\n".formatted(pair.certificate(), pair.key());
    }

    private record Resumption(long ticketsFirst, String second) {
    }

    /** A first handshake with {@code first} that saves its session, then one with {@code second} offering it. */
    private Resumption resume(InetSocketAddress first, InetSocketAddress second, String version, String name) {
        String saved = directory.resolve(name + ".session").toString();
        String one = SClient.ask(first, List.of(version, "-sess_out", saved));
        List<String> again = new ArrayList<>(List.of(version, "-sess_in", saved));
        String two = Files.exists(Path.of(saved)) ? SClient.session(SClient.ask(second, again)) : "New (nothing saved)";
        return new Resumption(SClient.tickets(one), two);
    }
}
