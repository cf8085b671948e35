package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.tls.CertifiedKey;
import dev.proxyline.server.tls.SelfSigned;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A failed handshake or a refused certificate upstream: 502, counted as {@code UPSTREAM_TLS}, logged once each. */
@Timeout(30)
class UpstreamTlsFailuresTest {
    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** An HTTP/1.1 server answering 204 to everything, over TLS with {@code tls} or in clear. */
    private int backend(Optional<SslContext> tls) throws InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        tls.ifPresent(t -> ch.pipeline().addLast(t.newHandler(ch.alloc())));
                        ch.pipeline().addLast(new HttpServerCodec(), new SimpleChannelInboundHandler<HttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
                                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.NO_CONTENT);
                                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                                ctx.writeAndFlush(response).addListener(f -> ctx.close());
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static String status(InetSocketAddress front, String path) throws Exception {
        try (Socket s = new Socket()) {
            s.setSoTimeout(5000);
            s.connect(front, 5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(12), StandardCharsets.ISO_8859_1).substring(9);
        }
    }

    @Test
    void eachFailureIs502CountedAndLoggedInNginxsWords() throws Exception {
        CertifiedKey key = SelfSigned.generate(SelfSigned.KeyType.EC, "backend.test", List.of("backend.test"),
                List.of(), Instant.now(), Duration.ofDays(1));
        SelfSigned.write(key, dir.resolve("backend.crt"), dir.resolve("backend.key"));
        int tls = backend(Optional.of(SslContextBuilder.forServer(key.key(), key.chain()).build()));
        int plain = backend(Optional.empty());
        try (ExchangeRig rig = ExchangeRig.http1(dir, """
                http {
                    server {
                        listen 127.0.0.1:8080;
                        proxy_ssl_verify on;
                        proxy_ssl_trusted_certificate backend.crt;
                        proxy_ssl_name backend.test;
                        location /ok { proxy_pass https://127.0.0.1:%1$d; }
                        location /name { proxy_ssl_name other.test; proxy_pass https://127.0.0.1:%1$d; }
                        location /plain { proxy_pass https://127.0.0.1:%2$d; }
                    }
                }
                """.formatted(tls, plain))) {
            assertThat(status(rig.address(), "/ok")).isEqualTo("204");
            assertThat(status(rig.address(), "/name")).isEqualTo("502");
            assertThat(status(rig.address(), "/plain")).isEqualTo("502");

            rig.awaitCount(HttpCounters.Reason.UPSTREAM_TLS, 2);
            assertThat(rig.counters.get(HttpCounters.Reason.UPSTREAM_TLS)).isEqualTo(2);
            assertThat(rig.counters.get(HttpCounters.Reason.UPSTREAM_FAILED)).isZero();
            assertThat(rig.logLines).anySatisfy(l -> assertThat(l).startsWith(
                    "upstream SSL certificate does not match \"other.test\" while SSL handshaking to upstream 127.0.0.1:"
                            + tls + ", client: 127.0.0.1"));
            assertThat(rig.logLines).anySatisfy(l -> assertThat(l).startsWith("SSL_do_handshake() failed (SSL: wrong "
                    + "version number, the upstream does not speak TLS) while SSL handshaking to upstream 127.0.0.1:"
                    + plain + ", client: 127.0.0.1"));
        }
    }
}
