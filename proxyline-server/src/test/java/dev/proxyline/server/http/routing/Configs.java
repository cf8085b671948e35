package dev.proxyline.server.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.LoadResult;
import java.nio.file.Path;
import java.util.List;

/** Builds http servers from nginx text, so tests read like the configurations they stand for. */
final class Configs {
    private Configs() {
    }

    /** The servers of {@code http { BODY }}. */
    static List<HttpServer> servers(String body) {
        LoadResult result = ConfigLoader.parse("test.conf", "http {\n" + body + "\n}\n", Path.of("."));
        assertThat(result.errors()).isEmpty();
        return ((LoadResult.Loaded) result).config().http().orElseThrow().servers();
    }

    /** The single server of {@code http { server { BODY } }}. */
    static HttpServer server(String body) {
        return servers("server {\n" + body + "\n}").get(0);
    }
}
