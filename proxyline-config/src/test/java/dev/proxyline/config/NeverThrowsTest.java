package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever the input, the loader answers with a model or errors, never with an exception. */
class NeverThrowsTest {
    private static final String[] PIECES = {"stream", "http", "server", "upstream", "listen", "80", "[::1]:80",
            "proxy_pass", "u", "10.0.0.1:1", "location", "/", "=", "~", "(", "{", "}", ";", ";", "\"", "'", "\\",
            "#", "\n", " ", "$x", "proxy_protocol", "on", "2", "proxy_protocol_version", "proxy_protocol_tlv", "0xE0",
            "return", "200", "include", "*.none", "log_format", "access_log", "weight=0", "events", "hash", "${"};

    @Test
    void randomTokenSoupNeverThrows() {
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(60);
            for (int j = 0; j < n; j++) sb.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
            LoadResult r = ConfigLoader.parse("fuzz.conf", sb.toString(), Path.of("."));
            assertThat(r.errors()).noneMatch(e -> e.message().startsWith("internal error"));
        }
    }
}
