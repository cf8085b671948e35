package dev.proxyline.server.stream.tls;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.server.tls.ClientVerifier;
import dev.proxyline.server.tls.HandshakeWatch;
import dev.proxyline.server.tls.SessionReuse;
import dev.proxyline.server.tls.StreamTlsContext;
import dev.proxyline.server.variables.SessionTls;
import dev.proxyline.server.variables.TlsFacts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The TLS handshake of a stream session on a {@code listen ... ssl}, in nginx's place for it: after the PROXY header
 * and the access checks, before {@code ssl_preread} and the upstream. Netty's {@link SniHandler} reads the ClientHello
 * (for {@code $ssl_server_name}; the name chooses nothing) and puts the TLS handler in its place, whose decrypted bytes
 * then reach whatever comes next; a watcher behind it hands the session on once the handshake is done. One deadline,
 * {@code ssl_handshake_timeout}, covers the ClientHello and the handshake, as nginx arms its timer once.
 */
public final class StreamTlsStage extends SniHandler {
    /** Pipeline name of the stage until the ClientHello is in; the TLS handler then takes it. */
    public static final String NAME = "stream-tls";
    private static final String WATCH = "stream-tls-watch";

    /** The session's side: what comes after the handshake. Called once, on the channel's loop. */
    public interface Done {
        /** The handshake completed: what follows may read the decrypted bytes now. */
        void completed(SessionTls tls);

        /**
         * The session ends with {@code tls} (what a failed handshake left, {@link SessionTls#failed}): the channel is
         * being closed.
         *
         * @param why nginx's error log words for it, without client and server; empty where nginx logs nothing
         */
        void failed(SessionTls tls, Optional<String> why);
    }

    private final long deadlineNanos;

    private StreamTlsStage(StreamTlsContext tls) {
        super((String name) -> tls.context(), Math.max(1, tls.handshakeTimeout().toMillis()));
        this.deadlineNanos = System.nanoTime() + tls.handshakeTimeout().toNanos();
    }

    /** Adds the stage and its watcher at the end of {@code client}'s pipeline. */
    public static void install(Channel client, StreamTlsContext tls, StreamHandshakes outcomes, Done done) {
        client.pipeline().addLast(NAME, new StreamTlsStage(tls));
        client.pipeline().addLast(WATCH, new Watch(tls, outcomes, done));
    }

    /** The TLS handler gets what is left of the deadline the ClientHello started. */
    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        handler.setHandshakeTimeout(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        return handler;
    }

    /** Sits behind the TLS handler until the handshake ends, then steps out. */
    private static final class Watch extends HandshakeWatch {
        private final StreamTlsContext tls;
        private final StreamHandshakes outcomes;
        private final Done done;
        private final long startMillis = System.currentTimeMillis();
        private boolean over;

        Watch(StreamTlsContext tls, StreamHandshakes outcomes, Done done) {
            this.tls = tls;
            this.outcomes = outcomes;
            this.done = done;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (!ctx.channel().config().isAutoRead()) {
                ctx.read();
            }
        }

        @Override
        protected void otherEvent(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // A FIN in the middle of the handshake (the socket allows half-closure): nothing more will come.
                failed(ctx, new ClosedChannelException());
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // Closed before any handshake event: the peer went away while the ClientHello was awaited.
            failed(ctx, new ClosedChannelException());
            ctx.fireChannelInactive();
        }

        @Override
        protected void completed(ChannelHandlerContext ctx) {
            if (over) return;
            over = true;
            SslHandler handler = ctx.pipeline().get(SslHandler.class);
            Optional<ClientVerifier> verifier = tls.clientVerifier();
            TlsFacts facts = facts(handler, verifier);
            SessionTls session = new SessionTls(facts, SessionReuse.reused(handler.engine(), startMillis),
                    handler.engine().getSession().getId());
            Optional<String> refusal = StreamTlsContext.refusal(
                    verifier.map(ClientVerifier::mode).orElse(ClientVerify.Mode.OFF), facts.client());
            outcomes.completed(refusal.isEmpty());
            ctx.pipeline().remove(this);
            if (refusal.isPresent()) {
                ctx.close();
                done.failed(session, refusal);
            } else {
                done.completed(session);
            }
        }

        /** Once per session: the handler and the engine may both report the same failure. */
        @Override
        protected void failed(ChannelHandlerContext ctx, Throwable cause) {
            if (over) return;
            over = true;
            Optional<String> why = outcomes.failed(cause);
            ctx.close();
            done.failed(SessionTls.failed(serverName()), why);
        }
    }
}
