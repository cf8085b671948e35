package dev.proxyline.server.http.proxy;

import static dev.proxyline.server.http.proxy.SocketPeers.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an {@code error_page} does to the connections around it: an intercepted upstream response is dropped with its
 * connection (its body unread, as nginx 1.22 does), and the client's connection carries its next request; a page that
 * names a location the server lacks is a counted, logged 500; a body longer than the copy held is not sent again to a
 * proxied page.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorPageExchangeTest {
    @TempDir
    Path dir;

    @Test
    void anInterceptedResponseIsDroppedWithItsConnectionAndTheClientKeepsItsOwn() throws Exception {
        CompletableFuture<Boolean> upstreamClosed = new CompletableFuture<>();
        try (SocketPeers.Backend backend = new SocketPeers.Backend(0, socket -> {
            InputStream in = socket.getInputStream();
            head(in);
            OutputStream out = socket.getOutputStream();
            // A body far longer than what is sent: only a closed connection ends this exchange.
            out.write(("HTTP/1.1 404 Not Found\r\nContent-Length: 100000\r\n\r\nnot all of it")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            upstreamClosed.complete(in.read() < 0);
        });
             ExchangeRig rig = ExchangeRig.http1(dir, """
                     http {
                         upstream app { server 127.0.0.1:%d; keepalive 4; }
                         server {
                             listen 127.0.0.1:8080;
                             location / { proxy_intercept_errors on; error_page 404 /errors/gone; proxy_pass http://app; }
                             location /errors/ { internal; return 200 "page $uri\\n"; }
                         }
                     }
                     """.formatted(backend.port()));
             Socket client = SocketPeers.client(rig.address(), 1 << 16)) {
            OutputStream out = client.getOutputStream();
            out.write(("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            String first = head(in);
            assertThat(first).startsWith("HTTP/1.1 404 ").doesNotContainIgnoringCase("connection: close");
            assertThat(new String(in.readNBytes("page /errors/gone\n".length()), StandardCharsets.US_ASCII))
                    .isEqualTo("page /errors/gone\n");
            assertThat(upstreamClosed.get(5, TimeUnit.SECONDS)).as("the upstream connection was closed").isTrue();
            out.write(("GET /errors/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(head(in)).as("internal: asked for directly").startsWith("HTTP/1.1 404 ");
        }
    }

    @Test
    void aPageInALocationTheServerLacksIsACountedAndLogged500() throws Exception {
        try (ExchangeRig rig = ExchangeRig.http1(dir, """
                http {
                    server {
                        listen 127.0.0.1:8080;
                        location / { error_page 404 = @nowhere; return 404; }
                    }
                }
                """);
             Socket client = SocketPeers.client(rig.address(), 1 << 16)) {
            client.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(head(client.getInputStream())).startsWith("HTTP/1.1 500 ");
            rig.awaitCount(HttpCounters.Reason.NO_NAMED_LOCATION, 1);
            assertThat(rig.counters.get(HttpCounters.Reason.NO_NAMED_LOCATION)).isEqualTo(1);
            assertThat(rig.logLines).anyMatch(line -> line.contains("could not find named location \"@nowhere\""));
        }
    }

    @Test
    void aBodyLongerThanTheCopyHeldIsNotSentAgainToAProxiedPage() throws Exception {
        byte[] body = new byte[HeldBody.LIMIT + 1];
        Arrays.fill(body, (byte) 'x');
        CompletableFuture<String> pageHead = new CompletableFuture<>();
        try (SocketPeers.Backend app = new SocketPeers.Backend(0, socket -> {
            InputStream in = socket.getInputStream();
            head(in);
            in.readNBytes(body.length);
            socket.getOutputStream().write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            in.read(); // until the intercepted response's connection is closed
        });
             SocketPeers.Backend pages = new SocketPeers.Backend(0, socket -> {
                 pageHead.complete(head(socket.getInputStream()));
                 socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\npage\n"
                         .getBytes(StandardCharsets.US_ASCII));
                 socket.getInputStream().read();
             });
             ExchangeRig rig = ExchangeRig.http1(dir, """
                     http {
                         server {
                             listen 127.0.0.1:8080;
                             location / { proxy_intercept_errors on; error_page 401 /page/; proxy_pass http://127.0.0.1:%d; }
                             location /page/ { proxy_pass http://127.0.0.1:%d; }
                         }
                     }
                     """.formatted(app.port(), pages.port()));
             Socket client = SocketPeers.client(rig.address(), 1 << 16)) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            assertThat(head(client.getInputStream())).startsWith("HTTP/1.1 401 ");
            // nginx would resend it from its buffer; proxyline holds no more than HeldBody.LIMIT bytes of a body
            assertThat(pageHead.get(5, TimeUnit.SECONDS)).startsWith("GET /page/ ")
                    .doesNotContainIgnoringCase("content-length").doesNotContainIgnoringCase("transfer-encoding");
        }
    }
}
