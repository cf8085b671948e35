package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.LoadResult;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.variables.VariableTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The request stage behind a plain HTTP/1.1 or a prior-knowledge HTTP/2 listener on a loopback port,
 * with counters and a refusal log of the test's own, so that tests can see what was counted and logged.
 */
final class ExchangeRig implements AutoCloseable {
    final EventLoopGroup group;
    final HttpCounters counters = new HttpCounters();
    /** Every line the refusal log wrote, at any level. */
    final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Channel listener;

    private ExchangeRig(Path dir, String httpBlock, boolean http2, Transport transport, int sendBuffer)
            throws Exception {
        group = transport.newEventLoopGroup(1, "exchange-rig");
        Path file = dir.resolve("exchange.conf");
        Files.writeString(file, httpBlock);
        HttpConfig http = ((LoadResult.Loaded) ConfigLoader.load(file)).config().http().orElseThrow();
        HostResolver none = name -> {
            throw new java.net.UnknownHostException(name);
        };
        HttpListenerPlan plan = new HttpPlanner(VariableTable.http(ZoneId.of("UTC"), "h", 1), none, System::nanoTime,
                new SplittableRandom(1), dir, targets -> SessionLog.off()).plan(http).get(0);
        RejectionLog log = new RejectionLog(new Capture(logLines), Duration.ofSeconds(10), System::nanoTime);
        ProxyRequestStage stage = new ProxyRequestStage(plan, new HttpRuntime(Clock.systemUTC(), System::nanoTime,
                log, counters));
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
        listener = new ServerBootstrap().group(group).channelFactory(() -> transport.newServerChannel(local))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (sendBuffer > 0) ch.config().setOption(ChannelOption.SO_SNDBUF, sendBuffer);
                        HttpConnection connection = new HttpConnection(1, ch.remoteAddress(), ch.localAddress(),
                                Optional.empty(), Optional.empty(), http2 ? HttpConnection.HTTP_2 : HttpConnection.HTTP_1_1);
                        if (!http2) {
                            ch.pipeline().addLast(new HttpServerCodec(), stage.newHandler(connection));
                            return;
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                                stage.newHandler(connection));
                                    }
                                }));
                    }
                }).bind(local).sync().channel();
    }

    /** An HTTP/1.1 listener serving {@code httpBlock} on {@code transport}, its sockets' send buffers fixed at {@code sendBuffer}. */
    static ExchangeRig http1(Path dir, String httpBlock, Transport transport, int sendBuffer) throws Exception {
        return new ExchangeRig(dir, httpBlock, false, transport, sendBuffer);
    }

    /** An HTTP/1.1 listener serving {@code httpBlock} on the transport proxyline picks; its {@code listen} is not used. */
    static ExchangeRig http1(Path dir, String httpBlock) throws Exception {
        return new ExchangeRig(dir, httpBlock, false, Transport.best(), 0);
    }

    /** A prior-knowledge HTTP/2 listener serving {@code httpBlock}. */
    static ExchangeRig http2(Path dir, String httpBlock) throws Exception {
        return new ExchangeRig(dir, httpBlock, true, Transport.best(), 0);
    }

    /** One server proxying to {@code backendPort} with {@code serverDirectives}. */
    static String proxyingTo(int backendPort, String serverDirectives) {
        return """
                http {
                    upstream app { server 127.0.0.1:%d; }
                    client_max_body_size 0;
                    server { listen 127.0.0.1:8080; %s location / { proxy_pass http://app; } }
                }
                """.formatted(backendPort, serverDirectives);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Waits up to 5 s for {@code reason} to be counted {@code times}. */
    void awaitCount(HttpCounters.Reason reason, long times) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counters.get(reason) < times && System.nanoTime() < deadline) Thread.sleep(10);
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A logger that keeps every line. */
    private record Capture(List<String> lines) implements System.Logger {
        @Override
        public String getName() {
            return "capture";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(params == null || params.length == 0 ? format : MessageFormat.format(format, params));
        }
    }
}
