package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same redirect directives, word for word, in nginx and in proxyline: own redirects (a location's slash
 * redirect, {@code return 301 /x}, {@code rewrite ... redirect}) made absolute by default, or not with
 * {@code absolute_redirect off}, without the port with {@code port_in_redirect off}, with the server's name with
 * {@code server_name_in_redirect on}; and an upstream's Location and Refresh through {@code proxy_redirect} default,
 * off, text, regex and a relative replacement, and its Set-Cookie through {@code proxy_cookie_domain} and
 * {@code proxy_cookie_path}. The upstream is a server of the same http block, in each product:
 * it answers with {@code Location: http://up/uri/...}.
 */
@Timeout(60)
class RedirectsLikeNginxTest {
    private static final String HTTP = """
                upstream up { server %2$s; }
                server {
                    listen %2$s;
                    absolute_redirect off;
                    location / { return 302 http://up/uri$request_uri; }
                    location /rel/ { return 302 /rel-target; }
                    location /refresh/ { add_header Refresh "5; URL=http://up/y" always; return 200 "ok\\n"; }
                    location /cookie/ {
                        add_header Set-Cookie "a=1; Domain=.Up.Test; Path=/uri/x;  HttpOnly" always;
                        add_header Set-Cookie "b=2; path=/other; domain=up.test" always;
                        add_header Set-Cookie "c=3" always;
                        add_header Set-Cookie "d=4; xdomain=up.test; Path=/elsewhere" always;
                        return 200 "ok\\n";
                    }
                }
                server {
                    listen %1$s;
                    server_name first.test;
                    location /app/ { proxy_pass http://up/; }
                    location /off/ { proxy_pass http://up/; proxy_redirect off; }
                    location /exp/ {
                        proxy_pass http://up/;
                        proxy_redirect http://up/uri/ /E/;
                        proxy_redirect http://up/ http://other.test/;
                    }
                    location /rx/ { proxy_pass http://up/; proxy_redirect ~^http://up/uri/(.*)$ /R/$1?h=$host; }
                    location /rxp/ { proxy_pass http://up/; proxy_redirect ~*/URI/ http://x.test/R/; }
                    location /rel/ { proxy_pass http://up; proxy_redirect /rel-target /rewritten; }
                    location /plain/ { proxy_pass http://up; }
                    location /refresh/ { proxy_pass http://up; }
                    location /cookie/ {
                        proxy_pass http://up;
                        proxy_cookie_domain up.test .$host;
                        proxy_cookie_path /uri/ /app/;
                    }
                    location /cookie/rx/ {
                        proxy_pass http://up;
                        proxy_cookie_domain ~^\\.?(up)\\.TEST$ $1.example;
                        proxy_cookie_path ~^/(o)ther$ /$1/x;
                        proxy_cookie_path ~*^/URI/ /u/;
                    }
                    location /cookie/off/ { proxy_pass http://up; proxy_cookie_path off; }
                    location = /r { return 301 /x; }
                    location = /rw { rewrite ^ /y redirect; }
                }
                server {
                    listen %1$s;
                    server_name relative.test;
                    absolute_redirect off;
                    location /app/ { proxy_pass http://up/; }
                    location = /r { return 301 /x; }
                }
                server {
                    listen %1$s;
                    server_name noport.test;
                    port_in_redirect off;
                    location /app/ { proxy_pass http://up/; }
                }
                server {
                    listen %1$s;
                    server_name named.test alias.test;
                    server_name_in_redirect on;
                    location /app/ { proxy_pass http://up/; }
                    location = /r { return 301 /x; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void redirectsAreRewrittenAndMadeAbsoluteAsNginxDoes() throws Exception {
        List<String> requests = List.of(
                get("/app", "Foo.Test:99"), get("/app/z", "h"), get("/off/z", "h"), get("/exp/z", "h"),
                get("/rx/z?a=1", "h"), get("/rxp/z", "h"), get("/rel/a", "h"), get("/plain/q", "h"),
                get("/refresh/", "h"), "GET /r HTTP/1.0\r\n\r\n", get("/rw", "h"),
                get("/cookie/", "H.example"), get("/cookie/rx/", "h"), get("/cookie/off/", "h"),
                get("/app", "relative.test"), get("/app/z", "relative.test"), get("/r", "relative.test"),
                get("/app", "noport.test"), get("/app/z", "noport.test"),
                get("/app", "alias.test"), get("/app/z", "alias.test"), get("/r", "alias.test"));
        List<InetSocketAddress> listens = new ArrayList<>();
        SideBySide.Answers answers = SideBySide.ask(directory, listen -> {
            listens.add(listen);
            return HTTP.formatted(Loopback.hostPort(listen), Loopback.hostPort(Loopback.freePort(listen.getAddress())));
        }, requests);
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine, answer -> {
            String text = redirect(answer);
            for (InetSocketAddress listen : listens) {
                text = text.replace(listen.getAddress().getHostAddress() + ":" + listen.getPort(), "ADDR:PORT")
                        .replace(":" + listen.getPort() + "/", ":PORT/");
            }
            return text;
        });
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "GET /app HTTP/1.1 -> 301 location: http://foo.test:PORT/app/",
                "GET /app/z HTTP/1.1 -> 302 location: http://h:PORT/app/uri/z",
                "GET /off/z HTTP/1.1 -> 302 location: http://up/uri/z",
                "GET /exp/z HTTP/1.1 -> 302 location: http://h:PORT/E/z",
                "GET /rx/z?a=1 HTTP/1.1 -> 302 location: http://h:PORT/R/z?a=1?h=h",
                "GET /rxp/z HTTP/1.1 -> 302 location: http://x.test/R/",
                "GET /rel/a HTTP/1.1 -> 302 location: http://h:PORT/rewritten",
                "GET /plain/q HTTP/1.1 -> 302 location: http://h:PORT/uri/plain/q",
                "GET /refresh/ HTTP/1.1 -> 200 refresh: 5; URL=/y",
                "GET /r HTTP/1.0 -> 301 location: http://ADDR:PORT/x",
                "GET /rw HTTP/1.1 -> 302 location: http://h:PORT/y",
                "GET /cookie/ HTTP/1.1 -> 200 set-cookie: a=1; Domain=.h.example; Path=/app/x; HttpOnly"
                        + " set-cookie: b=2; path=/other; domain=h.example set-cookie: c=3"
                        + " set-cookie: d=4; xdomain=up.test; Path=/elsewhere",
                "GET /cookie/rx/ HTTP/1.1 -> 200 set-cookie: a=1; Domain=Up.example; Path=/u/; HttpOnly"
                        + " set-cookie: b=2; path=/o/x; domain=up.example set-cookie: c=3"
                        + " set-cookie: d=4; xdomain=up.test; Path=/elsewhere",
                "GET /cookie/off/ HTTP/1.1 -> 200 set-cookie: a=1; Domain=.Up.Test; Path=/uri/x;  HttpOnly"
                        + " set-cookie: b=2; path=/other; domain=up.test set-cookie: c=3"
                        + " set-cookie: d=4; xdomain=up.test; Path=/elsewhere",
                "GET /app HTTP/1.1 -> 301 location: /app/",
                "GET /app/z HTTP/1.1 -> 302 location: /app/uri/z",
                "GET /r HTTP/1.1 -> 301 location: /x",
                "GET /app HTTP/1.1 -> 301 location: http://noport.test/app/",
                "GET /app/z HTTP/1.1 -> 302 location: http://noport.test/app/uri/z",
                "GET /app HTTP/1.1 -> 301 location: http://named.test:PORT/app/",
                "GET /app/z HTTP/1.1 -> 302 location: http://named.test:PORT/app/uri/z",
                "GET /r HTTP/1.1 -> 301 location: http://named.test:PORT/x");
    }

    private static String get(String target, String host) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    }

    /** The status and the Location, Refresh and Set-Cookie fields, names in lower case (proxyline sends them so). */
    private static String redirect(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        StringBuilder out = new StringBuilder(head.lines().findFirst().orElseThrow().split(" ")[1]);
        head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith("location:")
                        || l.toLowerCase(Locale.ROOT).startsWith("refresh:")
                        || l.toLowerCase(Locale.ROOT).startsWith("set-cookie:"))
                .forEach(l -> out.append(' ').append(l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT))
                        .append(l.substring(l.indexOf(':'))));
        return out.toString();
    }
}
