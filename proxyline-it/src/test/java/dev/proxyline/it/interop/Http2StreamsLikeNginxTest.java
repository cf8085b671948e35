package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http2_max_concurrent_streams} in nginx and in proxyline: the SETTINGS frame each sends an HTTP/2 client
 * (prior knowledge, h2c) carries SETTINGS_MAX_CONCURRENT_STREAMS with the configured value.
 */
@Timeout(60)
class Http2StreamsLikeNginxTest {
    /** The client preface and an empty SETTINGS frame. */
    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
            + new String(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}, StandardCharsets.ISO_8859_1);
    private static final int MAX_CONCURRENT_STREAMS = 3;

    @TempDir
    Path directory;

    @Test
    void theServersSettingsCarryTheConfiguredStreamLimit() throws Exception {
        SideBySide.Answers answers = SideBySide.ask(directory, listen -> """
                    keepalive_timeout 1s;
                    http2_max_concurrent_streams 7;
                    server { listen %s http2; location / { return 200; } }
                """.formatted(Loopback.hostPort(listen)), List.of(PREFACE));
        assertThat(maxConcurrentStreams(answers.nginx().get(0))).isEqualTo(7);
        assertThat(maxConcurrentStreams(answers.proxyline().get(0))).isEqualTo(7);
    }

    /** The value of SETTINGS_MAX_CONCURRENT_STREAMS in the first SETTINGS frame (not an ACK) of {@code frames}. */
    private static long maxConcurrentStreams(byte[] frames) {
        ByteBuffer in = ByteBuffer.wrap(frames);
        while (in.remaining() >= 9) {
            int length = (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | in.get() & 0xff;
            int type = in.get();
            int flags = in.get();
            in.getInt(); // stream
            if (type == 4 && flags == 0) {
                for (int i = 0; i < length / 6; i++) {
                    int id = in.getShort() & 0xffff;
                    long value = in.getInt() & 0xffffffffL;
                    if (id == MAX_CONCURRENT_STREAMS) return value;
                }
                return -1;
            }
            in.position(in.position() + length);
        }
        return -2;
    }
}
