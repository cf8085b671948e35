package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.Optional;

/**
 * The last step of every connection stage: build the {@link HttpConnection} and put the HTTP/1.1 or HTTP/2
 * handlers with the request stage in the pipeline.
 */
final class StageSwitch {
    private StageSwitch() {
    }

    /**
     * Installs {@code protocol}'s handlers after {@code ctx}, passes on the {@code channelActive} that
     * {@code ctx}'s handler held back (if it did), and removes that handler; bytes it still holds follow.
     */
    static void switchTo(ChannelHandlerContext ctx, String protocol, long serial, Optional<TlsFacts> tls,
                         RequestStage requestStage, boolean activeHeld) {
        Channel ch = ctx.channel();
        if (addressesLost(ch)) {
            ctx.close();
            return;
        }
        HttpConnection connection = new HttpConnection(serial, ch.remoteAddress(), ch.localAddress(),
                Optional.ofNullable(ch.attr(ProxyAttributes.CONNECTION).get()), tls, protocol);
        ChannelPipeline p = ctx.pipeline();
        if (protocol.equals(HttpConnection.HTTP_2)) {
            p.addAfter(ctx.name(), ConnectionStageNames.HTTP2_FRAME_CODEC, Http2FrameCodecBuilder.forServer()
                    .initialSettings(Http2Settings.defaultSettings()
                            .maxConcurrentStreams(requestStage.codecLimits().http2MaxConcurrentStreams()))
                    .build());
            p.addAfter(ConnectionStageNames.HTTP2_FRAME_CODEC, ConnectionStageNames.HTTP2_MULTIPLEX,
                    new Http2MultiplexHandler(new StreamInitializer(connection, requestStage)));
            p.addAfter(ConnectionStageNames.HTTP2_MULTIPLEX, ConnectionStageNames.HTTP2_DRAIN, Http2Drain.INSTANCE);
        } else {
            p.addAfter(ctx.name(), ConnectionStageNames.HTTP1_CODEC, new HttpServerCodec(decoder(requestStage)));
            p.addAfter(ConnectionStageNames.HTTP1_CODEC, ConnectionStageNames.REQUEST, requestStage.newHandler(connection));
        }
        if (activeHeld) ctx.fireChannelActive();
        p.remove(ctx.handler());
    }

    /**
     * Adds the HTTP/1.1 handlers last in {@code ch}'s pipeline, for a plain socket whose facts are complete now:
     * at once without a PROXY stage, or from the PROXY stage as it leaves. No stage waits for {@code channelActive}
     * in between, which would cost two more pipeline changes per connection.
     */
    static void http1(Channel ch, long serial, Optional<ProxiedConnection> proxied, RequestStage requestStage) {
        if (addressesLost(ch)) {
            ch.close();
            return;
        }
        HttpConnection connection = new HttpConnection(serial, ch.remoteAddress(), ch.localAddress(), proxied,
                Optional.empty(), HttpConnection.HTTP_1_1);
        ChannelPipeline p = ch.pipeline();
        p.addLast(ConnectionStageNames.HTTP1_CODEC, new HttpServerCodec(decoder(requestStage)));
        p.addLast(ConnectionStageNames.REQUEST, requestStage.newHandler(connection));
    }

    /**
     * The request stage's bounds for the decoder: the request stage measures the head as nginx's buffers hold it
     * (RequestHeadScan), with its fields at hand to choose the server whose error_page answers; the decoder only bounds
     * what is kept of a head beyond that.
     */
    private static HttpDecoderConfig decoder(RequestStage requestStage) {
        return requestStage.codecLimits().decoder();
    }

    /** A channel that closed meanwhile may no longer report its addresses. */
    private static boolean addressesLost(Channel ch) {
        return ch.remoteAddress() == null || ch.localAddress() == null;
    }

    /** Each HTTP/2 stream: HTTP/2 frames to the HTTP/1.1 objects the request stage reads and writes. */
    private static final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
        private final HttpConnection connection;
        private final RequestStage requestStage;

        StreamInitializer(HttpConnection connection, RequestStage requestStage) {
            this.connection = connection;
            this.requestStage = requestStage;
        }

        @Override
        protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast(ConnectionStageNames.HTTP2_STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(true));
            ch.pipeline().addLast(ConnectionStageNames.REQUEST, requestStage.newHandler(connection));
        }
    }
}
