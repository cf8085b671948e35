package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static dev.proxyline.config.TestConfigs.stream;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code listen unix:PATH} in http and stream, as nginx 1.22 reads it. */
class UnixListenConfigTest {
    private static final String LONGEST = "/" + "a".repeat(106);

    @Test
    void anHttpUnixListenTakesTheHttpParametersAndTheSocketOptionsSilently() {
        HttpConfig h = http("""
                server {
                    listen unix:/run/ingress.sock proxy_protocol default_server backlog=64 so_keepalive=on ipv6only=on;
                    listen 80;
                }
                """);
        List<Listen> listens = h.servers().get(0).listens();
        assertThat(listens).extracting(Listen::bindKey).containsExactly("unix:/run/ingress.sock", "*:80");
        Listen unix = listens.get(0);
        assertThat(unix.address()).isEqualTo(new ListenAddress.Unix("/run/ingress.sock"));
        assertThat(unix.socketAddress()).isEqualTo(UnixDomainSocketAddress.of("/run/ingress.sock"));
        assertThat(unix).extracting(Listen::proxyProtocol, Listen::defaultServer, Listen::backlog, Listen::isWildcard,
                Listen::isIpv6).containsExactly(true, true, 64, false, false);
    }

    @Test
    void aStreamUnixListenIsItsOwnSocketNextToAWildcard() {
        StreamConfig s = stream("""
                server { listen unix:/run/balancer.sock proxy_protocol; listen 9000; proxy_pass 127.0.0.1:1; }
                """);
        List<Listen> listens = s.servers().get(0).listens();
        assertThat(listens).extracting(Listen::bindKey).containsExactly("unix:/run/balancer.sock", "*:9000");
        assertThat(SharedSockets.group(listens, l -> l)).extracting(SharedSockets.Socket::folded)
                .containsExactly(List.of(), List.of());
    }

    @Test
    void aPathOfUpTo107BytesIsTaken() {
        assertThat(http("server { listen unix:" + LONGEST + "; }").servers().get(0).listens().get(0).bindKey())
                .isEqualTo("unix:" + LONGEST);
    }

    @Test
    void emptyTooLongAndDuplicatePathsAreErrorsWithTheirPositionsInNginxsWords() {
        assertThat(errors("""
                http {
                    server { listen unix:; }
                    server { listen unix:%1$sa; }
                    server { listen unix:/run/a.sock; listen unix:/run/a.sock; }
                    server { listen unix:/run/b.sock reuseport; }
                }
                stream {
                    server { listen unix: ; proxy_pass 127.0.0.1:1; }
                }""".formatted(LONGEST))).containsExactly(
                "test.conf:2:21: no path in the unix domain socket in \"unix:\" of the \"listen\" directive",
                "test.conf:3:21: too long path in the unix domain socket in \"unix:" + LONGEST
                        + "a\" of the \"listen\" directive",
                "test.conf:4:39: duplicate listen unix:/run/a.sock (already used at test.conf:4:14)",
                "test.conf:5:38: reuseport is not supported on the unix socket \"unix:/run/b.sock\" (nginx fails to "
                        + "start with \"setsockopt(SO_REUSEPORT) ... failed (95: Operation not supported)\")",
                "test.conf:8:21: no path in the unix domain socket in \"unix:\" of the \"listen\" directive");
    }
}
