package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code if} blocks, word for word, in nginx and in proxyline: the common real uses (a refused method,
 * ingress-nginx's app-root, an https redirect, a www redirect with a capture, an argument captured into a variable,
 * a map's value as condition), every kind of condition, captures numbered and named used after the block, and how a
 * {@code break}, a {@code rewrite ... last} and a {@code rewrite ... break} inside one end the enclosing block, and a
 * {@code rewrite}'s regex taking over the captures.
 */
@Timeout(60)
class IfLikeNginxTest {
    private static final String HTTP = """
                map $http_user_agent $is_bot {
                    default 0;
                    "~*(bot|crawler)" 1;
                }
                server {
                    listen %1$s;
                    if ($request_method = POST) { return 405; }
                    if ($host ~* ^www\\.(.*)$) { return 301 https://$1$request_uri; }
                    if ($http_x_tenant ~ "^t-(\\w+)$") { set $tenant $1; }
                    location = / {
                        if ($uri = /) { return 302 $scheme://$http_host/app1; }
                        return 200 "root\\n";
                    }
                    location /app1 { return 200 "app1 uri=$uri\\n"; }
                    location /secure/ {
                        if ($http_x_forwarded_proto != "https") { return 301 https://$host$request_uri; }
                        return 200 "secure\\n";
                    }
                    location /id/ {
                        if ($args ~ "id=(\\d+)") { set $id $1; }
                        return 200 "id=[$id] one=[$1]\\n";
                    }
                    location /bots/ {
                        if ($is_bot) { return 403; }
                        return 200 "human\\n";
                    }
                    location /ua/ {
                        if ($http_user_agent ~* "(bot|crawler)") { return 200 "matched $1\\n"; }
                        if ($http_user_agent !~ "^curl/(?<ver>[0-9.]+)") { return 200 "not curl\\n"; }
                        return 200 "curl $ver $1\\n";
                    }
                    location /flow/ {
                        set $a start;
                        if ($arg_stop) { set $a stopped; break; }
                        if ( $arg_go ) { rewrite ^/flow/(.*)$ /app1/$1 last; }
                        set $a "$a-end";
                        return 200 "flow $a\\n";
                    }
                    location /proxied/ {
                        if ($arg_debug = 1) { rewrite ^/proxied/(.*)$ /debug/$1 break; }
                        proxy_pass http://%2$s/backend/;
                    }
                    location /capr/ {
                        if ($args ~ "id=(\\d+)") { }
                        rewrite ^/capr/(\\w+)$ /other/$1;
                        return 200 "one=[$1] uri=[$uri]\\n";
                    }
                    location /miss/ {
                        if ($args ~ "id=(\\d+)") { }
                        rewrite ^/never/(\\w+)$ /other/$1;
                        return 200 "one=[$1]\\n";
                    }
                    location /keep/ {
                        if ($args ~ "id=(\\d+)") { }
                        if ($args ~ "id=\\d+") { }
                        return 200 "one=[$1]\\n";
                    }
                    location /tenant/ { return 200 "tenant=[$tenant] one=[$1]\\n"; }
                    location /zero/ {
                        if ($arg_v) { return 200 "true [$arg_v]\\n"; }
                        return 200 "false [$arg_v]\\n";
                    }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void everyConditionDecidesAsNginxDecidesIt() throws Exception {
        List<String> requests = List.of(
                request("POST", "/app1", "a", "Content-Length: 0\r\n"),
                get("/page?x=1", "WWW.Example.Test", ""),
                get("/", "a", ""),
                get("/secure/x?k=v", "a", ""),
                get("/secure/x", "a", "X-Forwarded-Proto: https\r\n"),
                get("/id/?b=1&id=42", "a", ""),
                get("/id/?name=x", "a", ""),
                get("/bots/", "a", "User-Agent: Googlebot/2.1\r\n"),
                get("/bots/", "a", "User-Agent: curl/8.1.2\r\n"),
                get("/ua/", "a", "User-Agent: Googlebot/2.1\r\n"),
                get("/ua/", "a", "User-Agent: curl/8.1.2\r\n"),
                get("/ua/", "a", "User-Agent: Mozilla/5.0\r\n"),
                get("/flow/x", "a", ""),
                get("/flow/x?stop=1", "a", ""),
                get("/flow/x?go=1", "a", ""),
                get("/proxied/x?debug=1", "a", ""),
                get("/proxied/x", "a", ""),
                get("/capr/x?id=5", "a", ""),
                get("/miss/x?id=5", "a", ""),
                get("/keep/x?id=5", "a", ""),
                get("/tenant/", "a", "X-Tenant: t-blue\r\n"),
                get("/tenant/", "a", "X-Tenant: blue\r\n"),
                get("/zero/?v=0", "a", ""),
                get("/zero/?v=00", "a", ""));
        SideBySide.Answers answers;
        try (HttpBackend backend = HttpBackend.start()) {
            String upstream = Loopback.hostPort(backend.address());
            answers = SideBySide.ask(directory, listen -> HTTP.formatted(Loopback.hostPort(listen), upstream),
                    requests);
        }
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine, SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // Not equal by both failing: nginx decided these.
        assertThat(seen.nginx().get(0)).endsWith("405");
        assertThat(seen.nginx().get(1)).endsWith("301 https://example.test/page?x=1");
        assertThat(seen.nginx().get(2)).endsWith("302 http://a/app1");
        assertThat(seen.nginx().get(5)).endsWith("200 id=[42] one=[42]");
        assertThat(seen.nginx().get(10)).endsWith("200 curl 8.1.2 8.1.2");
        assertThat(seen.nginx().get(13)).as("break inside if skips the return after it").endsWith("404");
        assertThat(seen.nginx().get(15)).endsWith("200 ok /debug/x");
        assertThat(seen.nginx().get(17)).as("a rewrite's match is the request's captures")
                .endsWith("200 one=[x] uri=[/other/x]");
        assertThat(seen.nginx().get(18)).as("a rewrite's miss empties them").endsWith("200 one=[]");
        assertThat(seen.nginx().get(19)).as("so does a match without groups").endsWith("200 one=[]");
        assertThat(seen.nginx().get(20)).as("a server's if, before the location")
                .endsWith("200 tenant=[blue] one=[blue]");
    }

    private static String get(String target, String host, String headers) {
        return request("GET", target, host, headers);
    }

    private static String request(String method, String target, String host, String headers) {
        return method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Connection: close\r\n\r\n";
    }

}
