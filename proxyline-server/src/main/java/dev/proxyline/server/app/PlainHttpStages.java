package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection stages of a plain (not {@code ssl}) http listen: the PROXY receive stage when the
 * listen has {@code proxy_protocol}, then HTTP/1.1 framing, then the {@link RequestStage}. The TLS
 * and HTTP/2 stages replace this class for {@code ssl} listens.
 */
final class PlainHttpStages extends ChannelInitializer<Channel> {
    static final String HTTP_START = "http-start";
    static final String HTTP_CODEC = "http-codec";
    static final String HTTP_REQUEST = "http-request";

    // nginx's large_client_header_buffers: 8k per line.
    private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(8192).setMaxHeaderSize(32768).setMaxChunkSize(65536);

    private final Optional<ProxyReceiveStage> proxyStage;
    private final RequestStage requests;
    private final LiveSessions sessions;
    private final AtomicLong serials;
    private final ChannelGroup open;

    /** @param open where each accepted connection is added, to be told when the server drains */
    PlainHttpStages(Optional<ProxyReceiveStage> proxyStage, RequestStage requests, LiveSessions sessions,
                    AtomicLong serials, ChannelGroup open) {
        this.proxyStage = Objects.requireNonNull(proxyStage, "proxyStage");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.serials = Objects.requireNonNull(serials, "serials");
        this.open = Objects.requireNonNull(open, "open");
    }

    @Override
    protected void initChannel(Channel ch) {
        sessions.add(ch);
        open.add(ch);
        long serial = serials.incrementAndGet();
        proxyStage.ifPresent(stage -> stage.addFirst(ch.pipeline()));
        ch.pipeline().addLast(HTTP_START, new Start(serial));
    }

    /** Waits for the PROXY stage (which holds channelActive back until the header is in), then installs HTTP. */
    private final class Start extends ChannelInboundHandlerAdapter {
        private final long serial;

        Start(long serial) {
            this.serial = serial;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            HttpConnection connection = new HttpConnection(serial, ch.remoteAddress(), ch.localAddress(),
                    Optional.ofNullable(ch.attr(ProxyAttributes.CONNECTION).get()), Optional.empty(),
                    HttpConnection.HTTP_1_1);
            // Added after this handler and before it leaves: the bytes that followed the PROXY header
            // pass through this context, whose successor must then be the codec.
            ctx.pipeline().addAfter(ctx.name(), HTTP_CODEC, new HttpServerCodec(DECODER));
            ctx.pipeline().addAfter(HTTP_CODEC, HTTP_REQUEST, requests.newHandler(connection));
            ctx.pipeline().remove(this);
            ctx.fireChannelActive();
        }
    }
}
