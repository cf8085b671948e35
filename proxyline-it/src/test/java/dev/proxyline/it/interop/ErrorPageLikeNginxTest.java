package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code error_page}s, word for word, in nginx and in proxyline: to a path (the original status kept, or
 * {@code =200}), to a named location that proxies, to a URL (302 and {@code =301}), for a dead upstream's 502, for an
 * upstream's 404 and 500 with {@code proxy_intercept_errors} on and off, into {@code internal} locations (and such a
 * location asked for directly), with recursion off and on (a cycle), for a POST (the page's request is a GET), and
 * inherited from http and server levels only where a level has none of its own; then HEAD, {@code =} alone,
 * variables in a path and in a URL, the 413 of {@code client_max_body_size}, the 503 of {@code limit_req}, a
 * {@code return 301} whose page keeps its Location, a named location that does not exist, and {@code =410}; then
 * malformed heads (the pages of the server chosen so far, and the connection closed after), the 401's challenge on a
 * page's answer (intercepted or of {@code auth_basic}, proxied or returned), the body sent again to a proxied page, and
 * {@code $upstream_status} and {@code $upstream_addr} of both exchanges.
 */
@Timeout(60)
class ErrorPageLikeNginxTest {
    private static final String HTTP = """
                error_page 403 /errors/http;
                server {
                    listen %1$s default_server;
                    server_name a;
                    error_page 404 /errors/server;
                    location /errors/ { internal; return 200 "page $uri args=$args method=$request_method\\n"; }
                    location /inherit/ { return 404; }
                    location /own/ { error_page 500 /errors/own; return 404; }
                    location /deny/ { deny all; }
                }
                server {
                    listen %1$s;
                    server_name b;
                    location /errors/ { internal; return 200 "page $uri args=$args method=$request_method\\n"; }
                    location /ret/ { error_page 404 =200 /errors/ok?from=ret; return 404; }
                    location /named/ { error_page 404 = @backend; return 404; }
                    location @backend { proxy_pass http://%2$s; }
                    location /url/ { error_page 404 https://example.test/moved; return 404; }
                    location /perm/ { error_page 404 =301 https://example.test/perm; return 404; }
                    location /dead/ { error_page 502 504 /errors/bad; proxy_pass http://%3$s; }
                    location /icpt/ { proxy_intercept_errors on; error_page 404 500 /errors/up; proxy_pass http://%2$s/code/; }
                    location /noicpt/ { error_page 404 500 /errors/up; proxy_pass http://%2$s/code/; }
                    location /loop/ { error_page 404 /loop/again; return 404; }
                    location /rec/ { recursive_error_pages on; error_page 404 /rec/again; return 404; }
                    location /post/ { error_page 404 /toback/post; return 404; }
                    location /toback/ { proxy_pass http://%2$s; }
                    location /deny/ { deny all; }
                    location /text/ { error_page 404 /errors/never; return 404 "own text\\n"; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void errorsGoToTheirPagesAsNginxSendsThem() throws Exception {
        List<String> requests = List.of(
                get("a", "/missing?q=1"), get("a", "/inherit/x"), get("a", "/own/x"), get("a", "/deny/x"),
                get("a", "/errors/server"),
                get("b", "/errors/x"), get("b", "/ret/x?q=1"), get("b", "/named/x?q=1"), get("b", "/url/x"),
                get("b", "/perm/x"), get("b", "/dead/x"), get("b", "/icpt/404"), get("b", "/icpt/500"),
                get("b", "/icpt/200"), get("b", "/noicpt/404"), get("b", "/noicpt/500"), get("b", "/loop/x"),
                get("b", "/rec/x"), get("b", "/deny/x"), get("b", "/text/x"),
                "POST /post/x HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
                // the connection is kept after a page: an intercepted response, a dead upstream after a body
                "GET /icpt/404 HTTP/1.1\r\nHost: b\r\n\r\n" + get("b", "/named/y"),
                "POST /dead/y HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nabc" + get("b", "/ret/y"));
        SideBySide.Answers answers;
        try (StatusBackend backend = StatusBackend.start()) {
            String upstream = Loopback.hostPort(backend.address());
            String dead = Loopback.hostPort(Loopback.freePort(Loopback.BACKEND));
            answers = SideBySide.ask(directory, listen -> HTTP.formatted(Loopback.hostPort(listen), upstream, dead),
                    requests);
        }
        SideBySide.Summaries seen = answers.summarize(requests, r -> r.lines().skip(1).findFirst().orElseThrow()
                + " " + SideBySide.requestLine(r), ErrorPageLikeNginxTest::statusLocationAndPage);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // Not equal by both failing: nginx sent these to their pages.
        assertThat(seen.nginx()).containsSubsequence(
                "Host: a GET /missing?q=1 HTTP/1.1 -> 404 page /errors/server args= method=GET",
                "Host: a GET /inherit/x HTTP/1.1 -> 404 page /errors/server args= method=GET",
                "Host: a GET /own/x HTTP/1.1 -> 404",
                "Host: a GET /deny/x HTTP/1.1 -> 403",
                "Host: a GET /errors/server HTTP/1.1 -> 404 page /errors/server args= method=GET",
                "Host: b GET /errors/x HTTP/1.1 -> 404",
                "Host: b GET /ret/x?q=1 HTTP/1.1 -> 200 page /errors/ok args=from=ret method=GET",
                "Host: b GET /named/x?q=1 HTTP/1.1 -> 200 backend GET /named/x?q=1",
                "Host: b GET /url/x HTTP/1.1 -> 302 https://example.test/moved",
                "Host: b GET /perm/x HTTP/1.1 -> 301 https://example.test/perm",
                "Host: b GET /dead/x HTTP/1.1 -> 502 page /errors/bad args= method=GET",
                "Host: b GET /icpt/404 HTTP/1.1 -> 404 page /errors/up args= method=GET",
                "Host: b GET /icpt/500 HTTP/1.1 -> 500 page /errors/up args= method=GET",
                "Host: b GET /icpt/200 HTTP/1.1 -> 200 backend GET /code/200",
                "Host: b GET /noicpt/404 HTTP/1.1 -> 404 backend GET /code/404",
                "Host: b GET /noicpt/500 HTTP/1.1 -> 500 backend GET /code/500",
                "Host: b GET /loop/x HTTP/1.1 -> 404",
                "Host: b GET /rec/x HTTP/1.1 -> 500",
                "Host: b GET /deny/x HTTP/1.1 -> 403 page /errors/http args= method=GET",
                "Host: b GET /text/x HTTP/1.1 -> 404 own text",
                "Host: b POST /post/x HTTP/1.1 -> 404 backend GET /toback/post body=abc length 3",
                "Host: b GET /icpt/404 HTTP/1.1 -> 404 page /errors/up args= method=GET 200 backend GET /named/y",
                "Host: b POST /dead/y HTTP/1.1 -> 502 page /errors/bad args= method=GET 200 page /errors/ok args=from=ret "
                        + "method=GET");
    }

    private static final String MORE = """
                limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
                log_format pages '$status $request_method $uri?$args "$request"';
                access_log %2$s pages;
                server {
                    listen %1$s;
                    location /errors/ { internal; return 200 "page $uri args=$args method=$request_method\\n"; }
                    location /head/ { error_page 404 /errors/head; return 404; }
                    location /same/ { error_page 404 = /errors/same; return 404; }
                    location /vars/ { error_page 404 /errors/vars?from=$uri; return 404; }
                    location /varurl/ { error_page 404 =307 $scheme://example.test$uri; return 404; }
                    location /small/ { client_max_body_size 10; error_page 413 /errors/big; return 200 "small\\n"; }
                    location /limited/ { limit_req zone=one; error_page 503 /errors/limited; }
                    location /moved/ { error_page 301 /errors/moved; return 301 https://example.test/moved; }
                    location /nowhere/ { error_page 404 @nowhere; return 404; }
                    location /gone/ { error_page 410 /errors/gone; return 410; }
                    location /eq/ { error_page 404 =410 /errors/eq; return 404; }
                }
            """;

    @Test
    void moreAnswersGoToTheirPagesAsNginxSendsThem() throws Exception {
        List<String> requests = List.of(
                "HEAD /head/x HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n",
                get("c", "/same/x"), get("c", "/vars/x?q=1"), get("c", "/varurl/x"),
                "POST /small/x HTTP/1.1\r\nHost: c\r\nContent-Length: 100\r\nConnection: close\r\n\r\n"
                        + "x".repeat(100),
                get("c", "/limited/x"), get("c", "/limited/x"), get("c", "/moved/x"), get("c", "/nowhere/x"),
                get("c", "/gone/x"), get("c", "/eq/x"));
        SideBySide.Answers answers = SideBySide.ask(directory, listen -> MORE.formatted(Loopback.hostPort(listen),
                pagesLog(listen)), requests);
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine,
                ErrorPageLikeNginxTest::statusLocationAndPage);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "HEAD /head/x HTTP/1.1 -> 404",
                "GET /same/x HTTP/1.1 -> 200 page /errors/same args= method=GET",
                "GET /vars/x?q=1 HTTP/1.1 -> 404 page /errors/vars args=from=/vars/x method=GET",
                "GET /varurl/x HTTP/1.1 -> 307 http://example.test/varurl/x",
                "POST /small/x HTTP/1.1 -> 413 page /errors/big args= method=GET",
                "GET /limited/x HTTP/1.1 -> 404",
                "GET /limited/x HTTP/1.1 -> 503 page /errors/limited args= method=GET",
                "GET /moved/x HTTP/1.1 -> 301 https://example.test/moved page /errors/moved args= method=GET",
                "GET /nowhere/x HTTP/1.1 -> 500",
                "GET /gone/x HTTP/1.1 -> 410 page /errors/gone args= method=GET",
                "GET /eq/x HTTP/1.1 -> 410 page /errors/eq args= method=GET");
        // The access log's $status is the one sent, $uri and $request_method the page's, $request as received.
        List<String> nginxLog = Files.readAllLines(pagesLog(new InetSocketAddress(Loopback.NGINX, 0)));
        assertThat(Files.readAllLines(pagesLog(new InetSocketAddress(Loopback.PROXYLINE, 0))))
                .containsExactlyElementsOf(nginxLog);
        assertThat(nginxLog).contains(
                "404 GET /errors/vars?from=/vars/x \"GET /vars/x?q=1 HTTP/1.1\"",
                "413 GET /errors/big?- \"POST /small/x HTTP/1.1\"",
                "301 GET /errors/moved?- \"GET /moved/x HTTP/1.1\"");
    }

    private static final String MALFORMED = """
                server {
                    listen %1$s default_server;
                    server_name a;
                    error_page 400 414 494 501 505 /errors/a;
                    location /errors/ { internal; return 200 "page a $uri method=$request_method host=$host\\n"; }
                }
                server {
                    listen %1$s;
                    server_name b;
                    error_page 400 414 501 505 /errors/b;
                    location /errors/ { internal; return 200 "page b $uri method=$request_method host=$host\\n"; }
                    location / { return 200 "own b $uri\\n"; }
                }
            """;

    @Test
    void malformedHeadsGoToThePagesOfTheServerChosenSoFarAndTheConnectionCloses() throws Exception {
        // After each refused head a request that a kept connection would answer: nginx closes it.
        String next = get("b", "/next");
        List<String> requests = List.of(
                "GARBAGE\r\n\r\n" + next,
                "GET /x HTTP/1.1\r\nHost: b\r\nBad Header\r\n\r\n" + next,
                "GET /x HTTP/1.1\r\nBad Header\r\nHost: b\r\n\r\n" + next,
                "GET /x HTTP/1.1\r\nHost: b\r\nHost: c\r\n\r\n" + next,
                "GET /x HTTP/1.1\r\n\r\n" + next,
                "POST /x HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: gzip\r\n\r\n" + next,
                "GET http://b/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n" + next,
                "GET /x HTTP/2.0\r\nHost: b\r\n\r\n" + next,
                "GET /x HTTP/1.1\r\nHost: b/c\r\n\r\n" + next,
                "GET /" + "x".repeat(9000) + " HTTP/1.1\r\nHost: b\r\n\r\n",
                // fields too large: nginx's 494, which only a's pages name
                "GET /x HTTP/1.1\r\nX-Big: " + "y".repeat(40000) + "\r\nHost: b\r\n\r\n",
                "GET /x HTTP/1.1\r\nHost: b\r\n\r\n" + next);
        SideBySide.Answers answers = SideBySide.ask(directory, listen -> MALFORMED.formatted(Loopback.hostPort(listen)),
                requests);
        SideBySide.Summaries seen = answers.summarize(requests, r -> SideBySide.requestLine(r.substring(0, 40)),
                ErrorPageLikeNginxTest::statusLocationAndPage);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "GARBAGE -> 400 page a /errors/a method=GET host=a",
                "GET /x HTTP/1.1 -> 400 page b /errors/b method=GET host=b",
                "GET /x HTTP/1.1 -> 400 page a /errors/a method=GET host=a",
                "GET /x HTTP/1.1 -> 400 page b /errors/b method=GET host=b",
                "GET /x HTTP/1.1 -> 400 page a /errors/a method=GET host=a",
                "POST /x HTTP/1.1 -> 501 page b /errors/b method=GET host=b",
                "GET http://b/x HTTP/1.1 -> 501 page b /errors/b method=GET host=b",
                "GET /x HTTP/2.0 -> 505 page a /errors/a method=GET host=a",
                "GET /x HTTP/1.1 -> 400 page a /errors/a method=GET host=a",
                "GET /" + "x".repeat(35) + " -> 414 page a /errors/a method=GET host=a",
                "GET /x HTTP/1.1 -> 400 page a /errors/a method=GET host=a",
                "GET /x HTTP/1.1 -> 200 own b /x 200 own b /next");
    }

    private static final String CHALLENGES_AND_BODIES = """
                log_format upstream '$status $request_method $uri "$request" $upstream_status $upstream_addr';
                access_log %4$s upstream;
                server {
                    listen %1$s;
                    location /errors/ { internal; return 200 "page $uri\\n"; }
                    location /icpt/ { proxy_intercept_errors on; error_page 401 /app/authpage; proxy_pass http://%2$s/code/; }
                    location /icptret/ { proxy_intercept_errors on; error_page 401 /errors/x; proxy_pass http://%2$s/code/; }
                    location /named/ { proxy_intercept_errors on; error_page 401 = @app; proxy_pass http://%2$s/code/; }
                    location @app { proxy_pass http://%2$s; }
                    location /app/ { proxy_pass http://%2$s/; }
                    location /basic/ { auth_basic "staff"; auth_basic_user_file %5$s; error_page 401 /app/basic; }
                    location /dead/ { error_page 502 /app/dead; proxy_pass http://%3$s; }
                    location /ret/ { error_page 404 /app/ret; return 404; }
                }
            """;

    @Test
    void aPagesAnswerKeepsThe401sChallengeAndAProxiedPageGetsTheBodyAgain() throws Exception {
        Path users = directory.resolve("users");
        Files.writeString(users, "user:{PLAIN}secret\n");
        List<String> requests = List.of(
                get("b", "/icpt/401"), get("b", "/icptret/401"), get("b", "/basic/x"),
                post("/icpt/401", "Content-Length: 3", "abc"),
                post("/icpt/401", "Transfer-Encoding: chunked", "3\r\nabc\r\n0\r\n\r\n"),
                post("/named/401", "Content-Length: 3", "abc"),
                post("/dead/x", "Content-Length: 3", "abc"),
                post("/ret/x", "Content-Length: 3", "abc"),
                // the connection is kept after a page whose request got the body again
                "POST /icpt/401 HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nabc" + get("b", "/app/second"));
        SideBySide.Answers answers;
        try (StatusBackend backend = StatusBackend.start()) {
            String upstream = Loopback.hostPort(backend.address());
            String dead = Loopback.hostPort(Loopback.freePort(Loopback.BACKEND));
            answers = SideBySide.ask(directory, listen -> CHALLENGES_AND_BODIES.formatted(Loopback.hostPort(listen),
                    upstream, dead, pagesLog(listen), users), requests);
        }
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine,
                ErrorPageLikeNginxTest::statusLocationAndPage);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "GET /icpt/401 HTTP/1.1 -> 401 challenge Basic realm=\"up\" challenge Basic realm=\"page\" "
                        + "backend GET /authpage",
                "GET /icptret/401 HTTP/1.1 -> 401 challenge Basic realm=\"up\" page /errors/x",
                "GET /basic/x HTTP/1.1 -> 401 challenge Basic realm=\"staff\" backend GET /basic",
                "POST /icpt/401 HTTP/1.1 -> 401 challenge Basic realm=\"up\" challenge Basic realm=\"page\" "
                        + "backend GET /authpage body=abc length 3",
                "POST /icpt/401 HTTP/1.1 -> 401 challenge Basic realm=\"up\" challenge Basic realm=\"page\" "
                        + "backend GET /authpage body=abc length 3",
                "POST /named/401 HTTP/1.1 -> 200 challenge Basic realm=\"up\" backend POST /named/401 body=abc length 3",
                "POST /dead/x HTTP/1.1 -> 502 backend GET /dead body=abc length 3",
                "POST /ret/x HTTP/1.1 -> 404 backend GET /ret body=abc length 3",
                "POST /icpt/401 HTTP/1.1 -> 401 challenge Basic realm=\"up\" challenge Basic realm=\"page\" "
                        + "backend GET /authpage body=abc length 3 200 backend GET /second");
        // $upstream_status and $upstream_addr: each exchange's attempts, the page's after " : ".
        List<String> nginxLog = Files.readAllLines(pagesLog(new InetSocketAddress(Loopback.NGINX, 0)));
        List<String> proxylineLog = Files.readAllLines(pagesLog(new InetSocketAddress(Loopback.PROXYLINE, 0)));
        assertThat(proxylineLog).containsExactlyElementsOf(nginxLog);
        assertThat(nginxLog.get(0)).matches("401 GET /app/authpage \"GET /icpt/401 HTTP/1.1\" 401 : 200 \\S+ : \\S+");
        assertThat(nginxLog.get(6)).matches("502 GET /app/dead \"POST /dead/x HTTP/1.1\" 502 : 200 \\S+ : \\S+");
    }

    private static String post(String target, String framing, String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: b\r\n" + framing + "\r\nConnection: close\r\n\r\n" + body;
    }

    /** Each product's own access log, told apart by its listen address. */
    private Path pagesLog(InetSocketAddress listen) {
        return directory.resolve("pages-" + listen.getAddress().getHostAddress() + ".log");
    }

    /**
     * Of each response (two on a kept-alive connection), the status, the Location of a redirect, each WWW-Authenticate,
     * and a body line that a page or the backend made (each product's own error pages differ, so those are left out).
     */
    private static String statusLocationAndPage(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) return "(no answer)";
        List<String> seen = new ArrayList<>();
        for (String line : text.split("\r\n|\n")) {
            if (line.startsWith("HTTP/1.1 ")) {
                seen.add(line.split(" ")[1]);
            } else if (line.toLowerCase(Locale.ROOT).startsWith("location:")) {
                seen.add(line.substring("location:".length()).trim());
            } else if (line.toLowerCase(Locale.ROOT).startsWith("www-authenticate:")) {
                seen.add("challenge " + line.substring("www-authenticate:".length()).trim());
            } else if (line.startsWith("page ") || line.startsWith("backend ") || line.startsWith("own ")) {
                seen.add(line);
            }
        }
        return String.join(" ", seen);
    }

    private static String get(String host, String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    }

    /**
     * The app: {@code /code/NNN} answers status NNN (a 401 with a challenge), anything else 200 (a path ending in
     * {@code authpage} with a challenge of its own); the body says the method, the target and the body it got, and
     * how that body was announced, so that the comparison sees what reached the app.
     */
    private static final class StatusBackend implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;

        private StatusBackend(HttpServer server, ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        static StatusBackend start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(Loopback.BACKEND, 0), 16);
            ExecutorService executor = Executors.newFixedThreadPool(2);
            server.createContext("/", StatusBackend::answer);
            server.setExecutor(executor);
            server.start();
            return new StatusBackend(server, executor);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(Loopback.BACKEND, server.getAddress().getPort());
        }

        private static void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
                String path = exchange.getRequestURI().getRawPath();
                String query = exchange.getRequestURI().getRawQuery();
                int status = path.matches("/code/[1-5][0-9][0-9]") ? Integer.parseInt(path.substring(6)) : 200;
                String announced = exchange.getRequestHeaders().containsKey("Transfer-Encoding") ? " chunked"
                        : " length " + exchange.getRequestHeaders().getFirst("Content-Length");
                byte[] body = ("backend " + exchange.getRequestMethod().toUpperCase(Locale.ROOT) + " " + path
                        + (query == null ? "" : "?" + query) + (received.isEmpty() ? "" : " body=" + received + announced)
                        + "\n").getBytes(StandardCharsets.US_ASCII);
                if (status == 401) exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"up\"");
                if (path.endsWith("authpage")) exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"page\"");
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
