package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.netty.testing.RecordingLogger;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OncePerSourceLogTest {
    private final RecordingLogger logger = new RecordingLogger();
    private long now = 1_000;

    private OncePerSourceLog log(int sources, int linesPerMinute) {
        return new OncePerSourceLog(logger,
                new OncePerSourceLog.Limits(sources, Duration.ofHours(1), linesPerMinute, Duration.ofMinutes(1)), () -> now);
    }

    private static InetSocketAddress from(String address, int port) {
        return new InetSocketAddress(ip(address), port);
    }

    @Test
    void aSourceIsWarnedAboutOnceWhateverItsPort() {
        OncePerSourceLog log = log(16, 100);
        assertThat(log.report(from("127.0.0.7", 1000), "a")).isTrue();
        assertThat(log.report(from("127.0.0.7", 1001), "b")).isFalse();
        assertThat(log.report(from("127.0.0.8", 1000), "c")).isTrue();
        assertThat(logger.lines).containsExactly("WARNING a", "DEBUG b", "WARNING c");
    }

    @Test
    void aSourceIsWarnedAboutAgainAfterTheRememberPeriod() {
        OncePerSourceLog log = log(16, 100);
        log.report(from("127.0.0.7", 1), "a");
        now += Duration.ofMinutes(59).toNanos();
        assertThat(log.report(from("127.0.0.7", 2), "b")).isFalse();
        now += Duration.ofMinutes(1).toNanos();
        assertThat(log.report(from("127.0.0.7", 3), "c")).isTrue();
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlyWarnedSource() {
        OncePerSourceLog log = log(2, 100);
        log.report(from("127.0.0.1", 1), "1");
        log.report(from("127.0.0.2", 1), "2");
        log.report(from("127.0.0.3", 1), "3");
        assertThat(log.report(from("127.0.0.3", 2), "3 again")).as("still remembered").isFalse();
        assertThat(log.report(from("127.0.0.1", 2), "1 again")).as("forgotten").isTrue();
    }

    @Test
    void manySourcesAreCappedPerWindowAndTheCutOffOnesAreWarnedAboutLater() {
        OncePerSourceLog log = log(16, 2);
        assertThat(log.report(from("127.0.0.1", 1), "1")).isTrue();
        assertThat(log.report(from("127.0.0.2", 1), "2")).isTrue();
        assertThat(log.report(from("127.0.0.3", 1), "3")).isFalse();
        now += Duration.ofMinutes(1).toNanos();
        assertThat(log.report(from("127.0.0.3", 2), "3 later")).isTrue();
        assertThat(log.report(from("127.0.0.1", 2), "1 again")).isFalse();
        assertThat(logger.lines).containsExactly("WARNING 1", "WARNING 2", "DEBUG 3", "WARNING 3 later", "DEBUG 1 again");
    }
}
