package dev.proxyline.protocol.netty.testing;

import dev.proxyline.protocol.netty.ProxiedConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Stands for the next stage: records what reaches it, in order, and releases every buffer. */
public final class Recorder extends ChannelInboundHandlerAdapter {
    /** Events in arrival order: "active", "connection", "read", "inactive". */
    public final List<String> events = new ArrayList<>();
    public final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    public ProxiedConnection connection;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        events.add("active");
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ProxiedConnection c) {
            events.add("connection");
            connection = c;
        } else {
            events.add("event " + evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            events.add("read");
            byte[] copy = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), copy);
            bytes.writeBytes(copy);
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.add("inactive");
    }

    public byte[] received() {
        return bytes.toByteArray();
    }
}
