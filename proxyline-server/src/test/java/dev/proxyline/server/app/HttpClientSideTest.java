package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the ingress tells the app about the client's connection, and how long it waits for the client, as nginx. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpClientSideTest {
    @TempDir
    Path dir;

    @Test
    void xForwardedPortIsThePortTheClientReachedTheBalancerOnWhileServerPortStaysLocal() throws Exception {
        try (HttpBackend backend = HttpBackend.start()) {
            int ingress = Rig.freePort();
            try (HttpRig rig = HttpRig.start(dir, balancer -> """
                    stream {
                        server {
                            listen 127.0.0.1:%1$d;
                            proxy_protocol on;
                            proxy_pass 127.0.0.1:%2$d;
                        }
                    }
                    http {
                        server {
                            listen 127.0.0.1:%2$d proxy_protocol;
                            set_real_ip_from 127.0.0.1;
                            real_ip_header proxy_protocol;
                            location / {
                                proxy_set_header X-Server-Port $server_port;
                                proxy_pass http://127.0.0.1:%3$d;
                            }
                        }
                    }
                    """.formatted(balancer, ingress, backend.port()));
                 HttpExchangeClient c = rig.client()) {
                c.send("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(200);
                HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
                assertThat(seen.header("X-Forwarded-Port")).isEqualTo(Integer.toString(rig.front));
                assertThat(seen.header("X-Server-Port")).isEqualTo(Integer.toString(ingress));
            }
        }
    }

    @Test
    void pipelinedRequestsReadAheadWhileOneIsProxiedAreServedInOrderWithTheirBodies() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingTo(backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /1");
            // The next ones in one write, while the connection reads ahead of the first one's response.
            c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /4 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /2");
            assertThat(c.read().body()).isEqualTo("got 5 bytes for /3");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /4");
            c.send("GET /5 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /5");
        }
    }

    @Test
    void withProxyIgnoreClientAbortOnAClientThatHalfClosesAfterItsRequestStillGetsTheResponse() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        proxy_ignore_client_abort on;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /1");
            c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            c.socket.shutdownOutput();
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /2");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    /**
     * nginx's default ({@code proxy_ignore_client_abort off}): a client that closes its side while its request waits
     * for the upstream has given up; the upstream connection is closed at once and the request logged with 499, on a
     * keep-alive connection and on one that closes after the request alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "Connection: close\r\n"})
    void aClientThatClosesItsSideWhileTheUpstreamWaitsEndsTheRequestWith499(String connection) throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    log_format status '$request_uri $status';
                    access_log access.log status;
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, upstream.getLocalPort()));
             HttpExchangeClient c = rig.client()) {
            upstream.setSoTimeout(5000);
            c.send("GET /long-poll HTTP/1.1\r\nHost: a\r\n" + connection + "\r\n");
            try (Socket proxied = upstream.accept()) {
                proxied.setSoTimeout(5000);
                InputStream in = proxied.getInputStream();
                readHead(in);
                c.socket.shutdownOutput();
                assertThat(in.read()).as("the upstream connection is closed, no response awaited").isEqualTo(-1);
            }
            assertThat(c.closedByServer()).isTrue();
            assertThat(rig.awaitLogLines("access.log", 1)).containsExactly("/long-poll 499");
        }
    }

    @Test
    void anIdleConnectionWaitsKeepaliveTimeoutButTheNextHeadOnlyClientHeaderTimeout() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    keepalive_timeout 30s;
                    client_header_timeout 300ms;
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            Thread.sleep(700); // idle longer than client_header_timeout: keepalive_timeout applies
            c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.send("GET /3 HTTP/1.1\r\n"); // the head starts and stalls
            assertThat(c.closedByServer()).isTrue(); // well before keepalive_timeout (reads give up after 5 s)
        }
    }

    @Test
    void anHttp10ClientsExpectIsNotAnsweredWith100ContinueAndNginxsHopByHopIdiomsAreHarmless() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    upstream app { server 127.0.0.1:%d; keepalive 2; }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_set_header Connection "";
                        proxy_set_header Upgrade $http_upgrade;
                        location / { proxy_pass http://app; }
                    }
                }
                """.formatted(backend.port(), port));
             HttpExchangeClient c = rig.client()) {
            c.send("POST /a HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello");
            HttpExchangeClient.Response r = c.read(); // a 100 would come first: HTTP/1.0 has no interim answers
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("got 5 bytes for /a");
            c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /b");
            HttpBackend.Seen first = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(first.header("Expect")).isNull();
            assertThat(first.header("Connection")).isNull();
            assertThat(first.header("Upgrade")).isNull();
            assertThat(backend.connections).hasValue(1); // the pool reused the connection
        }
    }

    @Test
    void theClientsConnectionDropsItsOwnFieldsButNeverTheProxysForwardingHeaders() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    upstream app { server 127.0.0.1:%d; keepalive 2; }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_set_header Keep-Alive timeout=5;
                        proxy_set_header X-Set-Here yes;
                        location / { proxy_pass http://app; }
                    }
                }
                """.formatted(backend.port(), port));
             HttpExchangeClient c = rig.client()) {
            // The trick of Traefik's CVE-2024-45410: a client names the proxy's headers in its Connection so
            // that the app would not see them, and would take the balancer's address for the client's.
            c.send("GET /a HTTP/1.1\r\nHost: a\r\nConnection: X-Mine, x-set-here, X-Forwarded-Host, "
                    + "X-Real-IP, X-Forwarded-For, X-Request-ID\r\n"
                    + "X-Mine: 1\r\nX-Kept: 2\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(seen.header("X-Kept")).isEqualTo("2");
            assertThat(seen.header("Host")).isEqualTo("a");
            // What this proxy adds reaches the app whatever the client's Connection names.
            assertThat(seen.header("X-Real-IP")).isEqualTo(Rig.CLIENT_IP);
            assertThat(seen.header("X-Forwarded-For")).isEqualTo(Rig.CLIENT_IP);
            assertThat(seen.header("X-Forwarded-Host")).isEqualTo("a");
            assertThat(seen.header("X-Request-ID")).hasSize(32);
            assertThat(seen.header("X-Set-Here")).isEqualTo("yes");
            // The client's own fields its Connection names, and the always hop-by-hop ones (proxy_set_header
            // Keep-Alive included: this proxy manages its upstream connection itself).
            for (String dropped : new String[] {"X-Mine", "Keep-Alive", "TE", "Proxy-Connection", "Connection"}) {
                assertThat(seen.header(dropped)).as(dropped).isNull();
            }
        }
    }

    @Test
    void aHeadResponseIsTheHeadAloneAndTheNextResponsesBodyFollowsIt() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), "keepalive 2;"));
             HttpExchangeClient c = rig.client()) {
            // Both requests in one write: a body after the HEAD response would be read as the GET's head.
            c.send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\nGET /g HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("content-length", "18"); // "got 0 bytes for /h"
            HttpExchangeClient.Response get = c.read();
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("got 0 bytes for /g");
        }
    }

    @Test
    void aResponseThatEndsBeforeTheRequestBodyIsSentWholeAndThenTheConnectionCloses() throws Exception {
        // A backend that answers as soon as it has the head, the body still coming.
        try (ServerSocket early = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread backend = new Thread(() -> {
                try (Socket s = early.accept()) {
                    InputStream in = s.getInputStream();
                    readHead(in);
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nearly"
                            .getBytes(StandardCharsets.US_ASCII));
                    in.readAllBytes(); // until the ingress closes
                } catch (IOException e) {
                    // the test's assertions tell
                }
            }, "early-backend");
            backend.setDaemon(true);
            backend.start();
            try (HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(early.getLocalPort(), "keepalive 2;"));
                 HttpExchangeClient c = rig.client()) {
                c.send("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc");
                HttpExchangeClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("early");
                // The rest of the body would be read as a request: the connection ends after the response.
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    /** Reads up to the blank line that ends a request head. */
    private static void readHead(InputStream in) throws IOException {
        for (int crlf = 0; crlf < 4; ) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException("the connection ended inside a request head");
            crlf = b == (crlf % 2 == 0 ? '\r' : '\n') ? crlf + 1 : 0;
        }
    }
}
