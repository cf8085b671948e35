package dev.proxyline.server.http.connection;

import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A request stage that answers every request with 200 and the connection's facts, one {@code key=value} a line,
 * and the names of the handlers in the pipeline it answers from.
 */
final class FactsRequestStage implements RequestStage {
    @Override
    public ChannelHandler newHandler(HttpConnection connection) {
        return new FactsHandler(connection);
    }

    static String facts(HttpConnection c, boolean sawActive, List<String> handlers) {
        return "serial=" + c.serial()
                + "\nprotocol=" + c.protocol()
                + "\nscheme=" + c.scheme()
                + "\ntls=" + c.tls().map(TlsFacts::protocol).orElse("-")
                + "\ncipher=" + c.tls().map(TlsFacts::cipher).orElse("-")
                + "\nsni=" + c.tls().flatMap(TlsFacts::serverName).orElse("-")
                + "\nalpn=" + c.tls().flatMap(TlsFacts::alpn).orElse("-")
                + "\nclient=" + c.proxied().map(p -> p.client().toString()).orElse("-")
                + "\nactive=" + sawActive
                + "\nhandlers=" + String.join(",", handlers) + "\n";
    }

    private static final class FactsHandler extends ChannelInboundHandlerAdapter {
        private final HttpConnection connection;
        private boolean sawActive;

        FactsHandler(HttpConnection connection) {
            this.connection = connection;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sawActive = true;
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (!last) return;
            // Netty's own tail is not ours to list.
            List<String> handlers = ctx.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$"))
                    .toList();
            byte[] body = facts(connection, sawActive, handlers).getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            ctx.writeAndFlush(response);
        }
    }
}
