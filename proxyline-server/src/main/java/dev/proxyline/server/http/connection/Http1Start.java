package dev.proxyline.server.http.connection;

import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;

/**
 * A plain HTTP/1.1 socket: the connection's facts are complete at {@code channelActive}, which the PROXY
 * stage holds back until its header is read; then HTTP/1.1 takes over.
 */
final class Http1Start extends ChannelInboundHandlerAdapter {
    private final long serial;
    private final RequestStage requestStage;

    Http1Start(long serial, RequestStage requestStage) {
        this.serial = serial;
        this.requestStage = requestStage;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        StageSwitch.switchTo(ctx, HttpConnection.HTTP_1_1, serial, Optional.empty(), requestStage, true);
    }
}
