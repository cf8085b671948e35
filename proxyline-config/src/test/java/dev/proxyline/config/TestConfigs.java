package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

/** Loads configuration text the way {@code proxyline check} would and returns the model or the error lines. */
final class TestConfigs {
    static final String FILE = "test.conf";

    private TestConfigs() {}

    static ProxylineConfig ok(String text) {
        LoadResult result = ConfigLoader.parse(FILE, text, Path.of("."));
        assertThat(result.errors()).as("errors").isEmpty();
        return ((LoadResult.Loaded) result).config();
    }

    static List<String> errors(String text) {
        LoadResult result = ConfigLoader.parse(FILE, text, Path.of("."));
        assertThat(result).isInstanceOf(LoadResult.Failed.class);
        return result.errors().stream().map(ConfigError::toString).toList();
    }

    static StreamConfig stream(String body) {
        return ok("stream {\n" + body + "\n}\n").stream().orElseThrow();
    }

    static StreamServer streamServer(String streamLevel, String serverBody) {
        StreamConfig s = stream("upstream b { server 10.0.0.1:80; }\n" + streamLevel
                + "\nserver {\n listen 9000;\n proxy_pass b;\n" + serverBody + "\n}");
        return s.servers().get(0);
    }

    static HttpConfig http(String body) {
        return ok("http {\n" + body + "\n}\n").http().orElseThrow();
    }
}
