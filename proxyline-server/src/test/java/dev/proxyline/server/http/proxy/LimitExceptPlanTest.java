package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.variables.VariableTable;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limit_except compiled: which plan serves which method, and what the block's plan keeps of its location's. */
class LimitExceptPlanTest {
    @TempDir
    Path dir;

    @Test
    void theListedMethodsKeepTheLocationAndEveryOtherGetsTheBlock() throws Exception {
        ServerPlan server = plan("""
                location /api/ { limit_except GET PUT { deny all; } proxy_pass http://app; }
                location /open/ { proxy_pass http://app; }""");
        LocationPlan api = server.plan(server.server().locations().get(0));
        for (String method : List.of("GET", "HEAD", "PUT")) assertThat(api.forMethod(method)).isSameAs(api);
        LocationPlan limited = api.forMethod("POST");
        for (String method : List.of("DELETE", "OPTIONS", "PATCH", "TRACE", "BREW", "get")) {
            assertThat(api.forMethod(method)).isSameAs(limited);
        }
        assertThat(limited).isNotSameAs(api);
        assertThat(limited.access().rules()).hasSize(1);
        assertThat(api.access().isEmpty()).isTrue();
        // Proxied by the location's proxy_pass: the same upstream, group and pool.
        assertThat(limited.action()).isSameAs(api.action());
        assertThat(limited.forMethod("POST")).isSameAs(limited);
        LocationPlan open = server.plan(server.server().locations().get(1));
        assertThat(open.forMethod("POST")).isSameAs(open);
    }

    @Test
    void theLocationsRewriteDirectivesAreNotTheBlocks() throws Exception {
        ServerPlan server = plan("""
                location /r/ { limit_except GET { allow all; } return 200 "r"; }
                location /s/ { set $x 1; rewrite ^ /t/ break; limit_except GET { allow all; } proxy_pass http://app; }
                location ~ ^/u/(.*)$ { set $y $1; limit_except GET { allow all; } proxy_pass http://app; }""");
        LocationPlan r = server.plan(server.server().locations().get(0));
        assertThat(r.action()).isInstanceOf(LocationPlan.Answer.class);
        assertThat(r.forMethod("POST").action()).isInstanceOf(LocationPlan.NotFound.class);
        LocationPlan s = server.plan(server.server().locations().get(1));
        assertThat(s.rewrites()).hasSize(2);
        assertThat(s.forMethod("POST").rewrites()).isEmpty();
        assertThat(s.forMethod("POST").action()).isSameAs(s.action());
        // A regex location's captures are the search's, which nginx keeps for every method.
        LocationPlan u = server.plan(server.server().locations().get(2));
        assertThat(u.rewrites()).hasSize(2);
        assertThat(u.forMethod("POST").rewrites()).singleElement().isInstanceOf(LocationPlan.LocationCaptures.class);
    }

    @Test
    void theBlocksOwnProxyPassAndAuthBasicServeItsMethods() throws Exception {
        Files.writeString(dir.resolve("users"), "u:{PLAIN}p\n");
        ServerPlan server = plan("""
                location / {
                    auth_basic_user_file users;
                    limit_except GET { auth_basic "writers"; proxy_pass http://writers; }
                    return 200 "read";
                }""");
        LocationPlan l = server.plan(server.server().locations().get(0));
        assertThat(l.authBasic()).isEmpty();
        LocationPlan limited = l.forMethod("POST");
        assertThat(limited.authBasic().orElseThrow().file().path()).isEqualTo(dir.resolve("users"));
        LocationPlan.Forward forward = (LocationPlan.Forward) limited.action();
        assertThat(forward.upstream().group().name()).isEqualTo("writers");
    }

    private ServerPlan plan(String locations) throws Exception {
        Path file = dir.resolve("p.conf");
        Files.writeString(file, """
                http {
                    upstream app { server 127.0.0.1:81; }
                    upstream writers { server 127.0.0.2:81; }
                    server { listen 127.0.0.1:8080;
                %s
                    }
                }
                """.formatted(locations));
        LoadResult result = ConfigLoader.load(file);
        assertThat(result.errors()).isEmpty();
        HttpConfig http = ((LoadResult.Loaded) result).config().http().orElseThrow();
        VariableTable variables = VariableTable.http(ZoneId.of("UTC"), "host", 1)
                .withSets(http.allSets(), http.allCaptures(), http.mapVariables(), new java.util.ArrayList<>());
        List<HttpListenerPlan> plans = new HttpPlanner(variables, name -> List.of(InetAddress.getLoopbackAddress()),
                System::nanoTime, new SplittableRandom(1), dir, targets -> SessionLog.off()).plan(http);
        return plans.get(0).server(http.servers().get(0));
    }
}
