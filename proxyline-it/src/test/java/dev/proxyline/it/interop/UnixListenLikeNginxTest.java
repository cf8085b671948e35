package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.it.harness.AsciiLines;
import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.CurlPage;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.StreamSideBySide;
import dev.proxyline.it.harness.UnixBackend;
import dev.proxyline.server.app.ProxylineServer;
import dev.proxyline.server.app.RunOptions;
import dev.proxyline.server.app.StartupException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code listen unix:PATH} served by nginx and by proxyline from the same configuration, and the same bytes sent to
 * both by a client of the socket file: in http a plain listen, one with {@code proxy_protocol} whose header is believed
 * by {@code set_real_ip_from unix:} ({@code real_ip_header proxy_protocol}), one that believes X-Forwarded-For from the
 * socket, and a {@code proxy_protocol} listen that trusts no one; in stream a plain listen and a {@code proxy_protocol}
 * one with {@code set_real_ip_from unix:}, on each of proxyline's session paths. Compared: the answers with
 * {@code $remote_addr $remote_port $server_addr $server_port} and the realip variables, the stream access log lines,
 * and that a clean stop removes the socket files; and a listen with {@code ssl http2} asked over HTTP/1.1 and HTTP/2 by
 * curl ({@code --unix-socket}). Each peer's sockets are in a directory of its own, named
 * {@code DIR} in what is compared.
 */
@Timeout(120)
class UnixListenLikeNginxTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String PROXY_HEADER = "PROXY TCP4 203.0.113.7 10.0.0.1 5555 443\r\n";
    private static final String REQUEST = "GET /who HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n";
    private static final String WHO = "return 200 \"$remote_addr|$remote_port|$server_addr|$server_port"
            + "|$realip_remote_addr|$proxy_protocol_addr|$proxy_protocol_port\\n\";";
    private static final String HTTP = """
            server { listen unix:%1$s/plain.sock; location / { %2$s } }
            server {
                listen unix:%1$s/pp.sock proxy_protocol;
                set_real_ip_from unix:;
                real_ip_header proxy_protocol;
                location / { %2$s }
            }
            server {
                listen unix:%1$s/xff.sock backlog=16 so_keepalive=on;
                set_real_ip_from unix:;
                real_ip_header X-Forwarded-For;
                location / { %2$s }
            }
            server { listen unix:%1$s/untrusted.sock proxy_protocol; location / { %2$s } }
            """;
    private static final List<String> SOCKETS = List.of("plain.sock", "pp.sock", "xff.sock", "untrusted.sock");

    @TempDir
    Path directory;

    @Test
    void httpUnixListensAnswerAsNginxsAndTheirFilesGoAtAStop() throws Exception {
        Function<Path, String> http = sockets -> HTTP.formatted(sockets, WHO);
        Path nginxSockets = Files.createDirectory(directory.resolve("n"));
        List<String> fromNginx;
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n"
                + "    log_format pp '$remote_addr \"$request\" $status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory) + http.apply(nginxSockets) + "}\n", List.of())) {
            fromNginx = httpExchanges(nginxSockets);
        }
        assertThat(nginxSockets).isEmptyDirectory();
        // Not equal by both failing alike: this is what nginx answered.
        assertThat(fromNginx).containsExactly(
                "plain: 200 unix:||unix:DIR/plain.sock||unix:||",
                "pp: 200 203.0.113.7|5555|unix:DIR/pp.sock||unix:|203.0.113.7|5555",
                "xff: 200 198.51.100.9||unix:DIR/xff.sock||unix:||",
                "untrusted: 200 unix:||unix:DIR/untrusted.sock||unix:|203.0.113.7|5555");

        Path proxylineSockets = Files.createDirectory(directory.resolve("p"));
        try (Proxyline proxyline = Proxyline.start(directory, "http {\n" + http.apply(proxylineSockets) + "}\n")) {
            assertThat(httpExchanges(proxylineSockets)).containsExactlyElementsOf(fromNginx);
        }
        assertThat(proxylineSockets).isEmptyDirectory();
    }

    /** One request to each socket of {@link #SOCKETS}, as {@code NAME: STATUS BODY} with the directory as DIR. */
    private static List<String> httpExchanges(Path sockets) throws IOException, InterruptedException {
        List<String> seen = new ArrayList<>();
        for (String socket : SOCKETS) {
            String name = socket.substring(0, socket.indexOf('.'));
            String bytes = switch (name) {
                case "pp", "untrusted" -> PROXY_HEADER + REQUEST;
                case "xff" -> REQUEST.replace("\r\n\r\n", "\r\nX-Forwarded-For: 198.51.100.9\r\n\r\n");
                default -> REQUEST;
            };
            String answer = exchange(sockets.resolve(socket), bytes);
            String status = answer.lines().findFirst().orElse("(none)").split(" ")[1];
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4).strip();
            seen.add(name + ": " + status + " " + body.replace(sockets.toString(), "DIR"));
        }
        return seen;
    }

    private static final String TLS = """
            server {
                listen unix:%1$s/tls.sock ssl http2;
                ssl_certificate %2$s;
                ssl_certificate_key %3$s;
                # nginx 1.22's default lacks TLSv1.3, proxyline's has it (docs/configuration.md).
                ssl_protocols TLSv1.2 TLSv1.3;
                location / { return 200 "$ssl_protocol|$server_protocol|$https|$remote_addr|$server_addr\\n"; }
            }
            """;

    @Test
    void tlsAndHttp2OnAUnixListenAnswerAsNginxs() throws Exception {
        Certificates.Pair certificate = Certificates.selfSigned(directory, "site", "app.test");
        Function<Path, String> http = sockets -> TLS.formatted(sockets, certificate.certificate(), certificate.key());
        Path nginxSockets = Files.createDirectory(directory.resolve("n"));
        List<String> fromNginx;
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n"
                + "    log_format pp '$remote_addr \"$request\" $status';\n"
                + NginxPeer.httpHousekeeping(nginxDirectory) + http.apply(nginxSockets) + "}\n", List.of())) {
            fromNginx = tlsExchanges(nginxSockets);
        }
        // Not equal by both failing alike: this is what nginx answered.
        assertThat(fromNginx).containsExactly(
                "--http1.1: 200 TLSv1.3|HTTP/1.1|on|unix:|unix:DIR/tls.sock",
                "--http2: 200 TLSv1.3|HTTP/2.0|on|unix:|unix:DIR/tls.sock");

        Path proxylineSockets = Files.createDirectory(directory.resolve("p"));
        try (Proxyline proxyline = Proxyline.start(directory, "http {\n" + http.apply(proxylineSockets) + "}\n")) {
            assertThat(tlsExchanges(proxylineSockets)).containsExactlyElementsOf(fromNginx);
        }
        assertThat(proxylineSockets).isEmptyDirectory();
    }

    /** A request over TLS to the socket file with each HTTP version curl offers by ALPN, the directory as DIR. */
    private static List<String> tlsExchanges(Path sockets) throws IOException, InterruptedException {
        Path socket = sockets.resolve("tls.sock");
        connect(socket).close();
        List<String> seen = new ArrayList<>();
        for (String version : List.of("--http1.1", "--http2")) {
            String out = Commands.run(List.of(Interop.requireBinary("curl").toString(), "-sS", "-k", "--max-time", "10",
                    version, "--unix-socket", socket.toString(), "-w", "\n%{http_code}", "https://app.test/who"), WAIT);
            seen.add(version + ": " + CurlPage.statusAndPage(out).replace(sockets.toString(), "DIR"));
        }
        return seen;
    }

    private static final String STREAM = """
            stream {
                log_format unix '$remote_addr|$remote_port|$server_addr|$server_port|$proxy_protocol_addr|$status';
                server { listen unix:%1$s/s.sock; access_log %1$s/plain.log unix; proxy_pass unix:%2$s; }
                server {
                    listen unix:%1$s/spp.sock proxy_protocol;
                    set_real_ip_from unix:;
                    access_log %1$s/pp.log unix;
                    proxy_pass unix:%2$s;
                }
            }
            """;

    @Test
    void streamUnixListensRelayAndLogAsNginxs() throws Exception {
        Path backendSocket = directory.resolve("echo.sock");
        try (UnixBackend echo = UnixBackend.start(backendSocket, (in, out, serial) -> {
            out.write((AsciiLines.read(in) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            Path nginxSockets = Files.createDirectory(directory.resolve("n"));
            List<String> fromNginx;
            try (NginxPeer nginx = NginxPeer.start(nginxSockets, STREAM.formatted(nginxSockets, backendSocket),
                    List.of())) {
                fromNginx = streamExchanges(nginxSockets);
            }
            assertThat(nginxSockets.resolve("s.sock")).doesNotExist();
            assertThat(fromNginx).containsExactly(
                    "plain: hello", "plain log: unix:||unix:DIR/s.sock||-|200",
                    "pp: hello", "pp log: 203.0.113.7|5555|unix:DIR/spp.sock||203.0.113.7|200");
            List<UnaryOperator<RunOptions>> paths = StreamSideBySide.paths();
            for (int i = 0; i < paths.size(); i++) {
                UnaryOperator<RunOptions> path = paths.get(i);
                Path proxylineSockets = Files.createDirectory(directory.resolve("p" + i));
                try (Proxyline proxyline = Proxyline.start(proxylineSockets,
                        STREAM.formatted(proxylineSockets, backendSocket), path)) {
                    assertThat(streamExchanges(proxylineSockets)).containsExactlyElementsOf(fromNginx);
                }
                assertThat(proxylineSockets.resolve("s.sock")).doesNotExist();
                assertThat(proxylineSockets.resolve("spp.sock")).doesNotExist();
            }
        }
    }

    /** A line through each stream socket and its access log line, the directory as DIR. */
    private static List<String> streamExchanges(Path sockets) throws IOException, InterruptedException {
        List<String> seen = new ArrayList<>();
        seen.add("plain: " + exchange(sockets.resolve("s.sock"), "hello\n").strip());
        seen.add("plain log: " + logLine(sockets.resolve("plain.log")).replace(sockets.toString(), "DIR"));
        seen.add("pp: " + exchange(sockets.resolve("spp.sock"), PROXY_HEADER + "hello\n").strip());
        seen.add("pp log: " + logLine(sockets.resolve("pp.log")).replace(sockets.toString(), "DIR"));
        return seen;
    }

    @Test
    void aStaleSocketFileStopsTheStartInNginxsWordsAndIsLeftAlone() throws Exception {
        Path stale = directory.resolve("stale.sock");
        UnixBackend.abandoned(stale);
        Path file = directory.resolve("proxyline.conf");
        Files.writeString(file, "http { server { listen unix:" + stale + "; return 200; } }\n");
        LoadResult.Loaded loaded = (LoadResult.Loaded) ConfigLoader.load(file);
        assertThatThrownBy(() -> ProxylineServer.start(loaded.config(),
                RunOptions.defaults().withPrefix(directory)).close())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("proxyline.conf:1:17: bind() to unix:" + stale + " failed (")
                .hasMessageContaining("Address already in use");
        assertThat(stale).exists();
    }

    /** Sends {@code bytes} over a new connection to the socket file (once it accepts) and reads to its end. */
    private static String exchange(Path socket, String bytes) throws IOException, InterruptedException {
        try (SocketChannel client = connect(socket)) {
            client.write(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + WAIT.toNanos();
            // Both answers end with the connection: Connection: close in http, the backend's close in stream.
            while (client.read(buffer) >= 0 && System.nanoTime() < deadline) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Connects to the socket file, waiting for the server to create it and listen. */
    private static SocketChannel connect(Path socket) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                client.connect(UnixDomainSocketAddress.of(socket));
                return client;
            } catch (IOException e) {
                client.close();
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    /** The first line of an access log, waiting for it: a session logs when it ends. */
    private static String logLine(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (Files.exists(log)) {
                String text = Files.readString(log);
                if (text.contains("\n")) return text.lines().findFirst().orElseThrow();
            }
            if (System.nanoTime() > deadline) return "(no log line)";
            Thread.sleep(20);
        }
    }
}
