package dev.proxyline.server.stream.splice;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Moves a running buffered relay to a {@link SplicedRelay}: waits until both channels have written
 * everything queued, deregisters them from the event loop (their sockets stay open) and hands the
 * sockets over. Whenever a condition no longer holds, the channels go back to Netty and the session
 * reads buffered again; no byte is lost or reordered either way, because nothing is read while the
 * hand-over runs.
 */
public final class SpliceHandOver {

    private SpliceHandOver() {
    }

    /**
     * Starts the hand-over of two channels that no longer read (autoRead off, and the session does not
     * turn it on again until {@link SpliceSession#resumeBuffered}). Call on their shared event loop.
     *
     * @param eligible re-checked once the writes are done and once the channels are deregistered: both
     *     still open, no FIN seen or being passed on, only the relay's handlers in the pipelines
     */
    public static void begin(Channel client, Channel upstream, SpliceSession session, BooleanSupplier eligible) {
        // An empty write completes after every write queued before it: then nothing waits in Netty.
        ChannelFuture clientFlushed = client.writeAndFlush(Unpooled.EMPTY_BUFFER);
        ChannelFuture upstreamFlushed = upstream.writeAndFlush(Unpooled.EMPTY_BUFFER);
        Both.of(clientFlushed, upstreamFlushed, flushed -> {
            if (!flushed || !eligible.getAsBoolean()) {
                session.resumeBuffered();
                return;
            }
            Both.of(client.deregister(), upstream.deregister(), deregistered -> {
                Runnable undo = () -> reregister(client, upstream, session);
                if (!deregistered || !eligible.getAsBoolean() || pending(client) || pending(upstream)) {
                    // An event slipped in before the deregistration ran (a FIN, say): stay buffered.
                    undo.run();
                    return;
                }
                SplicedRelay.start((IoEventLoop) client.eventLoop(), socketOf(client), socketOf(upstream), session,
                        undo);
            });
        });
    }

    private static boolean pending(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out != null && !out.isEmpty();
    }

    /** Gives both channels back to their event loop and the session back to buffered reading. */
    private static void reregister(Channel client, Channel upstream, SpliceSession session) {
        ChannelFuture a = client.isRegistered() || !client.isOpen() ? client.newSucceededFuture()
                : client.eventLoop().register(client);
        ChannelFuture b = upstream.isRegistered() || !upstream.isOpen() ? upstream.newSucceededFuture()
                : upstream.eventLoop().register(upstream);
        Both.of(a, b, registered -> {
            if (!registered) {
                client.close();
                upstream.close();
            }
            session.resumeBuffered();
        });
    }

    private static Socket socketOf(Channel ch) {
        return (Socket) ((UnixChannel) ch).fd();
    }

    /** Runs an action once both futures are done, with whether both succeeded. */
    private static final class Both {
        private int left = 2;
        private boolean ok = true;

        static void of(ChannelFuture a, ChannelFuture b, Consumer<Boolean> then) {
            Both both = new Both();
            a.addListener(f -> both.done(f.isSuccess(), then));
            b.addListener(f -> both.done(f.isSuccess(), then));
        }

        private void done(boolean success, Consumer<Boolean> then) {
            ok &= success;
            if (--left == 0) {
                then.accept(ok);
            }
        }
    }
}
