package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS session resumption as nginx's settings ask for it, seen by {@code openssl s_client} saving a TLS 1.2 session
 * and offering it again: by default (no server cache, tickets on) a ticket resumes it and, for a client that takes
 * no ticket, nothing does; with {@code ssl_session_cache} the session cache resumes that client too.
 */
@Timeout(60)
class TlsSessionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    @Test
    void resumptionFollowsTheCacheAndTicketSettings() {
        Interop.requireBinary("openssl");
        InetSocketAddress defaults = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress cached = Loopback.freePort(Loopback.PROXYLINE);
        try (Proxyline proxyline = Proxyline.start(directory, """
                http {
                    server { listen %s ssl; return 200 "ok\\n"; }
                    server {
                        listen %s ssl;
                        ssl_session_cache shared:SSL:1m;
                        ssl_session_timeout 1h;
                        return 200 "ok\\n";
                    }
                }
                """.formatted(Loopback.hostPort(defaults), Loopback.hostPort(cached)))) {
            assertThat(secondHandshake(defaults, "ticket", List.of())).startsWith("Reused, TLSv1.2");
            // Nothing to resume: s_client gets no session it could save, or one the server does not know.
            assertThat(secondHandshake(defaults, "no-cache", List.of("-no_ticket"))).satisfiesAnyOf(
                    line -> assertThat(line).startsWith("New, TLSv1.2"),
                    line -> assertThat(line).contains("Can't open session file"));
            assertThat(secondHandshake(cached, "cache", List.of("-no_ticket"))).startsWith("Reused, TLSv1.2");
        }
    }

    /** The first line of s_client's session report when it offers the session its first handshake saved. */
    private String secondHandshake(InetSocketAddress server, String name, List<String> options) {
        String saved = directory.resolve(name + ".session").toString();
        List<String> client = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
                Loopback.hostPort(server), "-tls1_2"));
        client.addAll(options);
        List<String> first = new java.util.ArrayList<>(client);
        first.addAll(List.of("-sess_out", saved));
        Commands.run(first, WAIT);
        List<String> again = new java.util.ArrayList<>(client);
        again.addAll(List.of("-sess_in", saved));
        String second = Commands.run(again, WAIT);
        return second.lines().filter(l -> l.startsWith("New,") || l.startsWith("Reused,")).findFirst()
                .orElse(second);
    }
}
