package dev.proxyline.server.tls;

import dev.proxyline.server.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One exchange with an OCSP responder on an event loop, as nginx has it: connect, send the request, read until the
 * responder closes, all within one timeout. The answer is the raw bytes ({@link OcspHttpAnswer} reads them); a
 * failure is an {@link OcspFetch.Failed} with nginx's words.
 */
final class OcspFetch extends ChannelInboundHandlerAdapter {
    /** Why the exchange did not come to an answer; only the message matters, so no stack trace is made. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] request;
    private final Promise<byte[]> answer;
    private final Duration timeout;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private ScheduledFuture<?> timer;

    private OcspFetch(byte[] request, Promise<byte[]> answer, Duration timeout) {
        this.request = request;
        this.answer = answer;
        this.timeout = timeout;
    }

    /** Sends {@code request} to {@code responder} from {@code loop}, with a socket of {@code transport}. */
    static Future<byte[]> ask(EventLoop loop, Transport transport, InetSocketAddress responder, byte[] request,
                              Duration timeout) {
        Promise<byte[]> answer = loop.newPromise();
        OcspFetch fetch = new OcspFetch(request, answer, timeout);
        new Bootstrap().group(loop).channelFactory(() -> transport.newSocketChannel(responder))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(fetch).connect(responder).addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        Throwable cause = connected.cause();
                        answer.tryFailure(new Failed(cause instanceof ConnectTimeoutException
                                ? "OCSP responder timed out" : "connect() failed (" + cause.getMessage() + ")"));
                    }
                });
        return answer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            answer.tryFailure(new Failed("OCSP responder timed out"));
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener((ChannelFutureListener) sent -> {
            if (!sent.isSuccess()) fail(ctx, "send() failed (" + sent.cause().getMessage() + ")");
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (received.size() + bytes.readableBytes() > OcspHttpAnswer.MAX_LENGTH) {
                fail(ctx, "OCSP responder sent too long a response (more than " + OcspHttpAnswer.MAX_LENGTH
                        + " bytes)");
                return;
            }
            bytes.readBytes(received, bytes.readableBytes());
        } catch (IOException e) {
            fail(ctx, "cannot read the OCSP response (" + e.getMessage() + ")");
        } finally {
            bytes.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) timer.cancel(false);
        answer.trySuccess(received.toByteArray());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "recv() failed (" + cause.getMessage() + ")");
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        answer.tryFailure(new Failed(why));
        ctx.close();
    }
}
