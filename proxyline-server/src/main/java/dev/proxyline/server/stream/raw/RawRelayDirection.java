package dev.proxyline.server.stream.raw;

import dev.proxyline.server.stream.RelayLoop;
import dev.proxyline.server.stream.RelayWait;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One direction of a raw relay, source to sink, as a state machine over the three kernel calls behind
 * {@link Ends}. Reads go into the loop's scratch buffer and straight on to the sink; only what the sink
 * does not take is copied into a pending buffer, and while that holds bytes the source is not read, so
 * TCP flow control holds the source's peer back and a direction holds at most one read's worth. Used on
 * the relay's event loop only.
 */
final class RawRelayDirection implements RelayLoop.Direction {

    /** The kernel calls of one direction. */
    interface Ends {
        /** Reads up to {@code max} bytes from the source into {@code into} at 0: the count, 0 if none now, -1 at the end. */
        int receive(ByteBuffer into, int max) throws IOException;

        /** Writes {@code from}'s bytes {@code position} to {@code limit} to the sink: how many it took, 0 if none. */
        int send(ByteBuffer from, int position, int limit) throws IOException;

        /** Sends FIN on the sink: {@code shutdown(SHUT_WR)}. */
        void shutdownSink() throws IOException;
    }

    private final boolean fromClient;
    private final Ends ends;
    private final int bufferSize;
    /** {@code proxy_half_close}: the source's end is passed on as shutdown(SHUT_WR) on the sink. */
    private final boolean passFinOn;

    /** Bytes the sink did not take yet; owned here, null while there are none. */
    private ByteBuf pending;
    /** Leading bytes written to the sink that are not counted: the upstream preface. */
    private int uncountedLeft;
    private boolean sourceEnded;
    private RelayWait waiting = RelayWait.SOURCE;
    private boolean fullRead;
    private long read;
    private long written;

    /**
     * @param fromClient whether the source is the client, to name the side of a failure
     * @param bufferSize {@code proxy_buffer_size}: the most one read takes
     * @param passFinOn {@code proxy_half_close}: whether the source's end is passed on to the sink, or ends
     *     the relay, which then closes both sockets
     */
    RawRelayDirection(boolean fromClient, Ends ends, int bufferSize, boolean passFinOn) {
        this.fromClient = fromClient;
        this.ends = ends;
        this.bufferSize = bufferSize;
        this.passFinOn = passFinOn;
    }

    /** The kernel calls on two registered sockets. */
    static Ends between(RawSocket source, RawSocket sink) {
        return new Ends() {
            @Override
            public int receive(ByteBuffer into, int max) throws IOException {
                return source.socket().recv(into, 0, max);
            }

            @Override
            public int send(ByteBuffer from, int position, int limit) throws IOException {
                return sink.socket().send(from, position, limit);
            }

            @Override
            public void shutdownSink() throws IOException {
                sink.socket().shutdown(false, true);
            }
        };
    }

    @Override
    public RelayWait waiting() {
        return waiting;
    }

    /** True once the source's end of stream was read (or reported by the front). */
    boolean sourceEnded() {
        return sourceEnded;
    }

    /** Bytes taken from the source so far. */
    long read() {
        return read;
    }

    /** Bytes the sink accepted so far, the uncounted leading ones left out. */
    long written() {
        return written;
    }

    /** Bytes held because the sink did not take them yet. */
    int pendingBytes() {
        return pending == null ? 0 : pending.readableBytes();
    }

    /** True once, after a pump in which a read filled the whole buffer. */
    boolean takeFullRead() {
        boolean was = fullRead;
        fullRead = false;
        return was;
    }

    /**
     * Writes {@code first} to the sink before anything is read: its first {@code uncounted} bytes are not
     * counted as written, the rest were read from the source by someone else and are counted as read now.
     * {@code sourceEnded}: the source's end was seen already, so the direction finishes once they are out.
     */
    void begin(ByteBuffer first, int uncounted, boolean sourceEnded, ByteBuffer scratch) throws Failed {
        this.uncountedLeft = uncounted;
        this.read = Math.max(0, first.remaining() - uncounted);
        this.sourceEnded = sourceEnded;
        // The kernel writes from direct memory only, and the caller's buffer may be on the heap.
        while (first.hasRemaining()) {
            int n = Math.min(first.remaining(), scratch.capacity());
            scratch.put(0, first, first.position(), n);
            int w = send(scratch, 0, n);
            first.position(first.position() + w);
            if (w < n) {
                break;
            }
        }
        if (first.hasRemaining()) {
            pending = ByteBufAllocator.DEFAULT.directBuffer(first.remaining());
            pending.writeBytes(first);
            waiting = RelayWait.SINK;
        } else if (sourceEnded) {
            finish();
        }
    }

    /**
     * Moves what can be moved now: the pending bytes into the sink, then while the sink takes all, the
     * source into the sink, at most {@code reads} reads. A read that does not fill the buffer ends the
     * pump, as in Netty, since the socket is most likely empty and level-triggered epoll reports more;
     * unless {@code hungUp} (the source reported EPOLLRDHUP or EPOLLHUP), when the next read finds the end
     * of the stream at once. {@code stopAtFullRead}: return after a read that fills the buffer, so that
     * the relay can switch to splice. A source at its end with nothing pending finishes the direction.
     *
     * @throws Failed from the kernel (a reset, a broken pipe), naming the side; the relay then ends
     */
    RelayWait pump(ByteBuffer scratch, int reads, boolean hungUp, boolean stopAtFullRead) throws Failed {
        if (waiting == RelayWait.FINISHED) {
            return waiting;
        }
        if (pending != null && !drainPending()) {
            return waiting = RelayWait.SINK;
        }
        if (sourceEnded) {
            finish();
            return waiting;
        }
        for (int i = 0; i < reads; i++) {
            int n = receive(scratch);
            if (n == 0) {
                return waiting = RelayWait.SOURCE;
            }
            if (n < 0) {
                sourceEnded = true;
                finish();
                return waiting;
            }
            read += n;
            int w = send(scratch, 0, n);
            if (w < n) {
                pending = ByteBufAllocator.DEFAULT.directBuffer(n - w);
                pending.writeBytes(scratch.slice(w, n - w));
                return waiting = RelayWait.SINK;
            }
            if (n < bufferSize) {
                if (!hungUp) {
                    return waiting = RelayWait.SOURCE;
                }
            } else {
                fullRead = true;
                if (stopAtFullRead) {
                    break;
                }
            }
        }
        return waiting = RelayWait.MORE;
    }

    /** @return true if nothing is pending any more */
    private boolean drainPending() throws Failed {
        ByteBuffer out = pending.internalNioBuffer(pending.readerIndex(), pending.readableBytes());
        pending.skipBytes(send(out, out.position(), out.limit()));
        if (pending.isReadable()) {
            return false;
        }
        release();
        return true;
    }

    private int receive(ByteBuffer scratch) throws Failed {
        try {
            return ends.receive(scratch, bufferSize);
        } catch (IOException e) {
            throw new Failed(fromClient, e);
        }
    }

    private int send(ByteBuffer from, int position, int limit) throws Failed {
        int w;
        try {
            w = ends.send(from, position, limit);
        } catch (IOException e) {
            throw new Failed(!fromClient, e);
        }
        int uncounted = Math.min(w, uncountedLeft);
        uncountedLeft -= uncounted;
        written += w - uncounted;
        return w;
    }

    private void finish() throws Failed {
        waiting = RelayWait.FINISHED;
        if (!passFinOn) {
            return; // the relay ends with this direction; closing the sockets sends the FIN
        }
        try {
            ends.shutdownSink();
        } catch (IOException e) {
            throw new Failed(!fromClient, e);
        }
    }

    /** Frees the pending bytes, if any; the direction is not used afterwards. */
    void release() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    /** A kernel call failed; {@code clientSide} names the socket it failed on. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean clientSide;

        Failed(boolean clientSide, IOException cause) {
            super(cause.getMessage(), cause);
            this.clientSide = clientSide;
        }

        boolean clientSide() {
            return clientSide;
        }

        IOException io() {
            return (IOException) getCause();
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            // Only a carrier from the kernel call to the relay; the cause has its own trace.
            return this;
        }
    }
}
