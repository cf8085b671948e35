package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code proxy_cookie_flags} lines, word for word, in nginx and in proxyline, over the same Set-Cookie
 * fields from an upstream that is a server of the same http block in each product: flags added, kept as written,
 * dropped and replaced (SameSite of another value), names and regexes without case, the first line for a name
 * deciding (also when its flags name none nginx knows), a regex for every cookie, a flag from a variable, the lines
 * of the server level inherited, {@code off}, and {@code proxy_cookie_path} in the same location. Compared: every
 * Set-Cookie field, in order.
 */
@Timeout(60)
class CookieFlagsLikeNginxTest {
    private static final String HTTP = """
                upstream up { server %2$s; }
                map $http_x_flag $flag { default ""; drop nosamesite; }
                server {
                    listen %2$s;
                    location / {
                        add_header Set-Cookie "a=1" always;
                        add_header Set-Cookie "b=2; Path=/uri/; secure; HttpOnly" always;
                        add_header Set-Cookie "C=3;samesite=lax;  Secure ;x" always;
                        add_header Set-Cookie "nameonly; secure" always;
                        add_header Set-Cookie "d=4; SameSite=Strict; secure; secure" always;
                        add_header Set-Cookie "ee=5; samesite=strict" always;
                        add_header Set-Cookie "=6; path=/" always;
                        return 200 "ok\\n";
                    }
                }
                server {
                    listen %1$s;
                    proxy_cookie_flags ~ httponly;
                    location /inherited/ { proxy_pass http://up; }
                    location /names/ {
                        proxy_pass http://up;
                        proxy_cookie_flags a secure httponly samesite=strict;
                        proxy_cookie_flags B nosecure nohttponly;
                        proxy_cookie_flags ~^c samesite=none;
                        proxy_cookie_flags ~^(d|ee)$ nosamesite secure;
                        proxy_cookie_flags nameonly nosecure;
                        proxy_cookie_flags "" secure;
                    }
                    location /every/ { proxy_pass http://up; proxy_cookie_flags ~ secure SameSite=Lax; }
                    location /first/ {
                        proxy_pass http://up;
                        proxy_cookie_flags a bogus;
                        proxy_cookie_flags a secure;
                        proxy_cookie_flags b samesite=strict samesite=lax nosamesite;
                        proxy_cookie_flags c samesite=lax;
                        proxy_cookie_flags d nosecure secure;
                        proxy_cookie_flags ee $flag;
                    }
                    location /path/ {
                        proxy_pass http://up;
                        proxy_cookie_path /uri/ /app/;
                        proxy_cookie_flags b nosecure;
                    }
                    location /off/ { proxy_pass http://up; proxy_cookie_flags off; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void cookieFlagsAreSetAsNginxSetsThem() throws Exception {
        List<String> requests = List.of(get("/inherited/x", null), get("/names/x", null), get("/every/x", null),
                get("/first/x", null), get("/first/x", "drop"), get("/path/x", null), get("/off/x", null));
        SideBySide.Answers answers = SideBySide.ask(directory, listen -> HTTP.formatted(Loopback.hostPort(listen),
                Loopback.hostPort(Loopback.freePort(listen.getAddress()))), requests);
        SideBySide.Summaries seen = answers.summarize(requests, request -> SideBySide.requestLine(request)
                + request.lines().filter(l -> l.startsWith("X-Flag")).findFirst().orElse("") + " ",
                CookieFlagsLikeNginxTest::cookies);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // Not equal by both passing the fields unchanged: what nginx itself sent.
        assertThat(seen.nginx()).containsExactly(
                "GET /inherited/x HTTP/1.1 ->  200 a=1; HttpOnly | b=2; Path=/uri/; secure; HttpOnly"
                        + " | C=3; samesite=lax; Secure; x; HttpOnly | nameonly; secure"
                        + " | d=4; SameSite=Strict; secure; secure; HttpOnly | ee=5; samesite=strict; HttpOnly"
                        + " | =6; path=/; HttpOnly",
                "GET /names/x HTTP/1.1 ->  200 a=1; Secure; HttpOnly; SameSite=Strict | b=2; Path=/uri/"
                        + " | C=3; SameSite=None; Secure; x | nameonly; secure | d=4; secure; secure | ee=5; Secure"
                        + " | =6; path=/; Secure",
                "GET /every/x HTTP/1.1 ->  200 a=1; Secure; SameSite=Lax"
                        + " | b=2; Path=/uri/; secure; HttpOnly; SameSite=Lax | C=3; samesite=lax; Secure; x"
                        + " | nameonly; secure | d=4; SameSite=Lax; secure; secure"
                        + " | ee=5; SameSite=Lax; Secure | =6; path=/; Secure; SameSite=Lax",
                "GET /first/x HTTP/1.1 ->  200 a=1 | b=2; Path=/uri/; secure; HttpOnly; SameSite=Strict"
                        + " | C=3; samesite=lax; Secure; x | nameonly; secure | d=4; SameSite=Strict; secure"
                        + " | ee=5; samesite=strict | =6; path=/",
                "GET /first/x HTTP/1.1 -> X-Flag: drop 200 a=1 | b=2; Path=/uri/; secure; HttpOnly; SameSite=Strict"
                        + " | C=3; samesite=lax; Secure; x | nameonly; secure | d=4; SameSite=Strict; secure"
                        + " | ee=5 | =6; path=/",
                "GET /path/x HTTP/1.1 ->  200 a=1 | b=2; Path=/app/; HttpOnly | C=3;samesite=lax;  Secure ;x"
                        + " | nameonly; secure | d=4; SameSite=Strict; secure; secure | ee=5; samesite=strict"
                        + " | =6; path=/",
                "GET /off/x HTTP/1.1 ->  200 a=1 | b=2; Path=/uri/; secure; HttpOnly | C=3;samesite=lax;  Secure ;x"
                        + " | nameonly; secure | d=4; SameSite=Strict; secure; secure | ee=5; samesite=strict"
                        + " | =6; path=/");
    }

    private static String get(String path, String flag) {
        return "GET " + path + " HTTP/1.1\r\nHost: h\r\n" + (flag == null ? "" : "X-Flag: " + flag + "\r\n")
                + "Connection: close\r\n\r\n";
    }

    /** The status, then every Set-Cookie field in order. */
    private static String cookies(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        return head.lines().findFirst().orElseThrow().split(" ")[1] + " " + head.lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("set-cookie:"))
                .map(l -> l.substring("set-cookie:".length()).strip()).collect(Collectors.joining(" | "));
    }
}
