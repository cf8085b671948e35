package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request stage serves HTTP/2 streams unchanged, as the TLS/ALPN stages will feed it: each stream
 * channel gets its own handler behind {@code Http2StreamFrameToHttpObjectCodec}. Plain-text HTTP/2
 * with prior knowledge here, so that no TLS is needed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2StreamsTest {
    @TempDir
    Path dir;

    @Test
    void twoStreamsOfOneConnectionAreProxiedEachWithItsOwnResponse() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel backend = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest r) {
                                            String body = r.uri() + " host=" + r.headers().get("Host") + " real="
                                                    + r.headers().get("X-Real-IP") + " len=" + r.content().readableBytes()
                                                    + " h2=" + r.headers().names().stream().anyMatch(n -> n.startsWith("x-http2"));
                                            var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                                            HttpUtil.setContentLength(resp, resp.content().readableBytes());
                                            ctx.writeAndFlush(resp);
                                        }
                                    });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int backendPort = ((InetSocketAddress) backend.localAddress()).getPort();
            try (ExchangeRig rig = ExchangeRig.http2(dir, """
                        http {
                            upstream app { server 127.0.0.1:%d; keepalive 4; }
                            server { listen 127.0.0.1:8080; location / { proxy_pass http://app; } }
                        }
                        """.formatted(backendPort))) {
                Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                        new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                            }
                                        }));
                            }
                        }).connect(rig.address()).sync().channel();

                CompletableFuture<String> get = request(client, HttpMethod.GET, "/one", "");
                CompletableFuture<String> post = request(client, HttpMethod.POST, "/two", "payload");

                assertThat(get.get(10, TimeUnit.SECONDS)).isEqualTo("200 /one host=app.test real=127.0.0.1 len=0 h2=false");
                assertThat(post.get(10, TimeUnit.SECONDS)).isEqualTo("200 /two host=app.test real=127.0.0.1 len=7 h2=false");
                assertThat(client.isActive()).as("the HTTP/2 connection stays open").isTrue();
                client.close().sync();
            }
            backend.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aStreamThatLimitReqDelaysWaitsWithItsBodyAndIsThenProxied() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel backend = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest r) {
                                            String body = r.uri() + " host=" + r.headers().get("Host") + " real="
                                                    + r.headers().get("X-Real-IP") + " len=" + r.content().readableBytes()
                                                    + " h2=" + r.headers().names().stream().anyMatch(n -> n.startsWith("x-http2"));
                                            var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                                            HttpUtil.setContentLength(resp, resp.content().readableBytes());
                                            ctx.writeAndFlush(resp);
                                        }
                                    });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int backendPort = ((InetSocketAddress) backend.localAddress()).getPort();
            try (ExchangeRig rig = ExchangeRig.http2(dir, """
                        http {
                            limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s;
                            upstream app { server 127.0.0.1:%d; keepalive 4; }
                            server { listen 127.0.0.1:8080; location / { limit_req zone=one burst=5; proxy_pass http://app; } }
                        }
                        """.formatted(backendPort))) {
                Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                        new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                            }
                                        }));
                            }
                        }).connect(rig.address()).sync().channel();

                assertThat(request(client, HttpMethod.GET, "/one", "").get(10, TimeUnit.SECONDS))
                        .isEqualTo("200 /one host=app.test real=127.0.0.1 len=0 h2=false");
                long start = System.nanoTime();
                // One request ahead of 1r/s: it waits about a second, its DATA frame parked meanwhile.
                assertThat(request(client, HttpMethod.POST, "/two", "payload").get(10, TimeUnit.SECONDS))
                        .isEqualTo("200 /two host=app.test real=127.0.0.1 len=7 h2=false");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 9_000L);
                assertThat(client.isActive()).as("the HTTP/2 connection stays open").isTrue();
                client.close().sync();
            }
            backend.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static CompletableFuture<String> request(Channel connection, HttpMethod method, String path, String body)
            throws InterruptedException {
        CompletableFuture<String> result = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                new HttpObjectAggregator(1 << 16),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        result.complete(r.status().code() + " " + r.content().toString(StandardCharsets.UTF_8));
                                    }
                                });
                    }
                }).open().sync().getNow();
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.HOST, "app.test");
        if (!body.isEmpty()) HttpUtil.setContentLength(request, body.length());
        stream.writeAndFlush(request);
        return result;
    }
}
