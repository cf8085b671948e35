package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.server.transport.ListenerBootstrap;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nginx's wildcard listens: {@code listen PORT} is every IPv4 address, {@code listen [::]:PORT} every IPv6
 * address (IPV6_V6ONLY on by default), so the pair of them, as in Debian's default site and ingress-nginx's
 * servers, is two sockets that bind side by side; a specific address on a wildcard's port is served through
 * the wildcard's socket by its own listen. The listeners bind wildcards; every client is on loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WildcardListenTest {
    private static final InetAddress V4 = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsIpv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            s.getLocalPort();
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback on this machine");
        }
    }

    static List<Rig.StreamPath> nativePaths() {
        Assumptions.assumeTrue(dev.proxyline.server.transport.Transport.epollAvailable(), "epoll is not available");
        return List.of(Rig.StreamPath.RAW, Rig.StreamPath.EPOLL_CHANNELS);
    }

    @ParameterizedTest
    @MethodSource("nativePaths")
    void streamPortAndIpv6WildcardAreTwoSocketsEachServingItsFamily(Rig.StreamPath path) throws Exception {
        int port = Rig.freePort();
        List<InetSocketAddress> bound = echoBothFamilies(path, port, "listen %1$d; listen [::]:%1$d;".formatted(port));
        assertThat(bound).containsExactly(new InetSocketAddress("0.0.0.0", port), new InetSocketAddress("::", port));
    }

    @Test
    void httpPortAndIpv6WildcardServeEachFamilyWithItsOwnServerAddress() throws Exception {
        int port = Rig.freePort();
        try (Rig rig = Rig.start(dir, """
                http {
                    server {
                        listen %1$d;
                        listen [::]:%1$d;
                        location / { return 200 "$server_addr\\n"; }
                    }
                }
                """.formatted(port))) {
            assertThat(get(V4, port)).endsWith("\r\n\r\n127.0.0.1\n");
            assertThat(get(InetAddress.getByName("::1"), port)).endsWith("\r\n\r\n::1\n");
        }
    }

    @Test
    void aBarePortIsIpv4OnlyAsInNginx() throws Exception {
        int port = Rig.freePort();
        try (Rig rig = Rig.start(dir, """
                http {
                    server {
                        listen %d;
                        location / { return 200 "ok\\n"; }
                    }
                }
                """.formatted(port))) {
            assertThat(get(V4, port)).endsWith("\r\n\r\nok\n");
            assertThatThrownBy(() -> get(InetAddress.getByName("::1"), port)).isInstanceOf(ConnectException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("nativePaths")
    void ipv6onlyOffLetsTheIpv6WildcardTakeIpv4ClientsToo(Rig.StreamPath path) throws Exception {
        int port = Rig.freePort();
        List<InetSocketAddress> bound = echoBothFamilies(path, port, "listen [::]:%d ipv6only=off;".formatted(port));
        assertThat(bound).containsExactly(new InetSocketAddress("::", port));
    }

    @Test
    void anIpv4ClientOfADualStackWildcardReadsAsAnIpv4Address() throws Exception {
        int port = Rig.freePort();
        try (Rig rig = Rig.start(dir, """
                http {
                    server {
                        listen [::]:%d ipv6only=off;
                        location / { return 200 "$remote_addr $server_addr\n"; }
                    }
                }
                """.formatted(port))) {
            // nginx would show ::ffff:127.0.0.1; an IPv4 address is what set_real_ip_from 127.0.0.0/8 matches.
            assertThat(get(V4, port)).endsWith("\r\n\r\n127.0.0.1 127.0.0.1\n");
        }
    }

    @Test
    void onNioTheIpv6WildcardIsDualStackAndSaysSo() throws Exception {
        int port = Rig.freePort();
        try (LogCapture log = LogCapture.of(ListenerBootstrap.class);
             Rig rig = Rig.start(dir, """
                     http {
                         server {
                             listen [::]:%d;
                             location / { return 200 "ok\\n"; }
                         }
                     }
                     """.formatted(port), Rig.StreamPath.NIO)) {
            assertThat(log.lines).containsExactly("[::]:" + port + " also accepts IPv4 clients on the nio transport "
                    + "(the JDK cannot set IPV6_V6ONLY); a separate IPv4 listen on that port cannot be bound");
            assertThat(get(V4, port)).endsWith("\r\n\r\nok\n");
        }
    }

    @ParameterizedTest
    @MethodSource("nativePaths")
    void streamAddressOnAWildcardsPortIsServedThroughItsSocketByItsOwnServer(Rig.StreamPath path) throws Exception {
        int port = Rig.freePort();
        try (Backend backend = Backend.echo();
             Rig rig = Rig.start(dir, """
                     stream {
                         server { listen %1$d; proxy_pass 127.0.0.1:%2$d; }
                         server { listen 127.0.0.2:%1$d proxy_protocol; proxy_protocol on; proxy_pass 127.0.0.1:%2$d; }
                     }""".formatted(port, backend.port()), path)) {
            assertThat(rig.server.listenAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", port));
            assertThat(echo(V4, port, "first")).isEqualTo("first");
            assertThat(echo(InetAddress.getByName("127.0.0.3"), port, "other")).isEqualTo("other");
            // The second server's listen requires a header from the client, and its upstream side sends one.
            try (Socket s = new Socket()) {
                s.setSoTimeout(5000);
                s.connect(new InetSocketAddress("127.0.0.2", port), 5000);
                s.getOutputStream().write("PROXY TCP4 10.1.2.3 127.0.0.2 5555 %d\r\nsecond".formatted(port)
                        .getBytes(StandardCharsets.US_ASCII));
                String sent = "PROXY TCP4 127.0.0.1 127.0.0.2 %d %d\r\nsecond".formatted(s.getLocalPort(), port);
                assertThat(new String(s.getInputStream().readNBytes(sent.length()), StandardCharsets.US_ASCII))
                        .isEqualTo(sent);
            }
            assertThat(echo(InetAddress.getByName("127.0.0.2"), port, "no header")).isEmpty();
        }
    }

    @Test
    void httpServersOfASpecificAddressAnswerOnItOnlyAndTheWildcardsEverywhereElse() throws Exception {
        int port = Rig.freePort();
        try (Rig rig = Rig.start(dir, """
                http {
                    server { listen %1$d; return 200 "a $server_addr\n"; }
                    server { listen 0.0.0.0:%1$d; server_name c.test; return 200 "c\n"; }
                    server { listen 127.0.0.2:%1$d proxy_protocol; return 200 "b $proxy_protocol_addr\n"; }
                }
                """.formatted(port))) {
            assertThat(rig.server.listenAddresses()).containsExactly(new InetSocketAddress("0.0.0.0", port));
            assertThat(get(V4, port, "x", "")).endsWith("\r\n\r\na 127.0.0.1\n");
            assertThat(get(V4, port, "c.test", "")).endsWith("\r\n\r\nc\n");
            assertThat(get(InetAddress.getByName("127.0.0.3"), port, "x", "")).endsWith("\r\n\r\na 127.0.0.3\n");
            // The address's own listen: its proxy_protocol, and its server whatever the name (nginx's rule).
            String header = "PROXY TCP4 10.1.2.3 127.0.0.2 5555 %d\r\n".formatted(port);
            assertThat(get(InetAddress.getByName("127.0.0.2"), port, "c.test", header))
                    .endsWith("\r\n\r\nb 10.1.2.3\n");
        }
    }

    /** Starts a stream server with {@code listens} before an echo backend; both families must echo on {@code port}. */
    private List<InetSocketAddress> echoBothFamilies(Rig.StreamPath path, int port, String listens) throws Exception {
        try (Backend backend = Backend.echo();
             Rig rig = Rig.start(dir, "stream { server { %s proxy_pass 127.0.0.1:%d; } }"
                     .formatted(listens, backend.port()), path)) {
            assertThat(echo(V4, port, "four")).isEqualTo("four");
            assertThat(echo(InetAddress.getByName("::1"), port, "six")).isEqualTo("six");
            return rig.server.listenAddresses();
        }
    }

    private static String echo(InetAddress host, int port, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(5000);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
        }
    }

    private static String get(InetAddress host, int port) throws IOException {
        return get(host, port, "x", "");
    }

    private static String get(InetAddress host, int port, String hostHeader, String before) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(5000);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.getOutputStream().write((before + "GET / HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
