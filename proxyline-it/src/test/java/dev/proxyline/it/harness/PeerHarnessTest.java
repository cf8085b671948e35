package dev.proxyline.it.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness itself: peers stop completely, and a peer that cannot start says why, quickly. */
@Timeout(30)
class PeerHarnessTest {
    @TempDir
    Path directory;

    @Test
    void stoppingNginxEndsTheMasterAndItsWorkersAndFreesThePort() {
        InetSocketAddress listen = Loopback.freePort(Loopback.NGINX);
        NginxPeer nginx = NginxPeer.start(directory, """
                stream {
                    server { listen %s; return "hi\\n"; }
                }
                """.formatted(Loopback.hostPort(listen)), List.of(listen));
        ProcessHandle master = nginx.processHandle();
        List<ProcessHandle> workers = master.descendants().toList();

        nginx.close();

        assertThat(workers).isNotEmpty();
        assertThat(master.isAlive()).isFalse();
        assertThat(workers).noneMatch(ProcessHandle::isAlive);
        assertThat(Loopback.accepts(listen, Duration.ofMillis(500))).isFalse();
    }

    @Test
    void stoppingHaproxyEndsItAndFreesThePort() {
        InetSocketAddress listen = Loopback.freePort(Loopback.HAPROXY);
        HaproxyPeer haproxy = HaproxyPeer.start(directory, """
                frontend f
                    mode http
                    bind %s
                    http-request return status 200
                """.formatted(Loopback.hostPort(listen)), List.of(listen));

        haproxy.close();

        assertThat(haproxy.processHandle().isAlive()).isFalse();
        assertThat(Loopback.accepts(listen, Duration.ofMillis(500))).isFalse();
    }

    @Test
    void nginxWithABadConfigurationFailsAtOnceQuotingItsOwnError() {
        InetSocketAddress listen = Loopback.freePort(Loopback.NGINX);
        long started = System.nanoTime();

        assertThatThrownBy(() -> NginxPeer.start(directory, "http { no_such_directive on; }\n", List.of(listen)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("nginx exited with status 1")
                .hasMessageContaining("unknown directive \"no_such_directive\"");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void haproxyWithABadConfigurationFailsAtOnceQuotingItsOwnError() {
        InetSocketAddress listen = Loopback.freePort(Loopback.HAPROXY);

        assertThatThrownBy(() -> HaproxyPeer.start(directory, "frontend f\n    bind %s\n    no-such-keyword\n"
                .formatted(Loopback.hostPort(listen)), List.of(listen)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("haproxy exited with status")
                .hasMessageContaining("no-such-keyword");
    }
}
