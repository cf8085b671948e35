package dev.proxyline.server.stream.raw;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.HeaderReception;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.server.stream.SessionStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY stage of one connection on a raw socket, as {@code ProxyHeaderReceiver} is on a pipeline: the
 * trust policy of the source, the header deadline, and the verdicts, counters and log lines of the listener's
 * {@link HeaderReception}. Owns the client socket's readiness from {@link #start} until it reports to
 * {@link Done}; the caller takes the socket over in that call and sets the interest it needs (the reader
 * leaves EPOLLIN and EPOLLRDHUP asked for).
 *
 * <p>Each read goes into a pooled direct buffer released before the read is over; only a header that is
 * still incomplete after a read is copied into an array of its own, which never grows past the maximum
 * header length. Used on its event loop only.
 */
final class RawHeaderReader implements RawSocket.Events {

    /** What the caller learns, once, on the loop; nothing after {@link #cancel}. */
    interface Done {
        /**
         * Header accepted (or OPTIONAL policy and no header): {@code rest} = bytes after the header (may be
         * empty, caller owns it), {@code inputEnded} = the client's FIN came with them.
         */
        void received(ProxiedConnection connection, ByteBuffer rest, boolean inputEnded);

        /**
         * Refused, already counted and logged (rate-limited) as the Netty stage does; {@code status} 403 for a
         * REJECT source, 400 for invalid/missing/late/truncated. The caller closes the socket.
         */
        void refused(int status);
    }

    private enum State { WAITING, DONE }

    /** One read's worth: a header with the client's first bytes, as Netty's first adaptive read takes. */
    private static final int READ_SIZE = 2048;
    private static final int INITIAL_HELD = 256;
    private static final byte[] NONE = new byte[0];

    private final IoEventLoop loop;
    private final RawSocket client;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final HeaderReception reception;
    private final ProxyHeaderDecoder decoder;
    private final Done done;
    private State state = State.WAITING;
    private HeaderPolicy policy;
    private ScheduledFuture<?> deadline;
    /** Every byte received so far, while the decoder needs more than the first read had. */
    private byte[] held = NONE;
    private int heldLength;

    private RawHeaderReader(IoEventLoop loop, RawSocket client, InetSocketAddress remote, InetSocketAddress local,
                            ProxyReceiveStage stage, Done done) {
        this.loop = loop;
        this.client = client;
        this.remote = remote;
        this.local = local;
        this.reception = stage.reception();
        this.decoder = reception.decoder();
        this.done = done;
    }

    /**
     * On the loop; the client socket is registered; takes its readiness (handTo) until done. Reads once at
     * once, and schedules the header deadline only when that read did not decide. {@code local} is the
     * accepted socket's local address. {@link Done} may be told before this returns: a source under
     * {@link HeaderPolicy#REJECT}, or a header (or refusal) already in the socket.
     */
    static RawHeaderReader start(IoEventLoop loop, RawSocket client, InetSocketAddress remote,
                                 InetSocketAddress local, ProxyReceiveStage stage, Done done) {
        RawHeaderReader reader = new RawHeaderReader(loop, client, remote, local, stage, done);
        reader.begin();
        return reader;
    }

    private void begin() {
        policy = reception.policyFor(remote);
        Optional<HeaderReception.Refuse> untrusted = reception.beforeReading(policy);
        if (untrusted.isPresent()) {
            refuse(untrusted.get());
            return;
        }
        client.handTo(this);
        // EPOLLRDHUP tells, with the last bytes, that no more follow: EMPTY and TRUNCATED need no extra read.
        // Asked for before the read below, which may hand the socket on to a caller that sets its own interest.
        client.interest(RawSocket.IN | RawSocket.RDHUP);
        // The header is usually in the socket by the time it is accepted, as the client sends it right after
        // the handshake: one read now spares the deadline timer and the wait for readiness when it is complete.
        // A FIN that came with it is not seen by this read (no readiness says so); the caller reads it next.
        read(0);
        if (state == State.WAITING) {
            deadline = loop.schedule(this::onDeadline, reception.settings().deadline().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Cut now (drain deadline, loop shutdown): cancels the deadline; no callback. */
    void cancel() {
        state = State.DONE;
        cancelDeadline();
        held = NONE;
    }

    @Override
    public void ready(RawSocket socket, int ops) {
        if (state == State.WAITING) {
            read(ops);
        }
    }

    /** One read, judged; {@code ops} the readiness that prompted it, 0 for the read at start. */
    private void read(int ops) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(READ_SIZE);
        try {
            ByteBuffer in = buffer.internalNioBuffer(0, READ_SIZE);
            int n;
            try {
                n = client.socket().read(in, in.position(), in.limit());
            } catch (IOException e) {
                // A reset before the header: the connection ends, counted as empty or truncated like a close.
                refuse(reception.endOfInput(heldLength));
                return;
            }
            if (n < 0) {
                refuse(reception.endOfInput(heldLength));
            } else if (n > 0) {
                in.limit(in.position() + n);
                // A short read drained the socket; with the FIN already in, nothing more can come.
                boolean ended = n < READ_SIZE && (ops & (RawSocket.RDHUP | RawSocket.HUP)) != 0;
                offer(in, ended);
            } else if ((ops & (RawSocket.RDHUP | RawSocket.HUP)) != 0) {
                refuse(reception.endOfInput(heldLength));
            }
        } finally {
            buffer.release();
        }
    }

    /** Judges everything received with {@code read} (position..limit) added. */
    private void offer(ByteBuffer read, boolean ended) {
        int heldBefore = heldLength;
        DecodeResult result;
        try {
            result = decode(read);
        } catch (RuntimeException e) {
            internalError(e);
            return;
        }
        HeaderReception.Verdict verdict = reception.judge(result, policy);
        if (verdict instanceof HeaderReception.Accept accept) {
            read.position(read.position() + accept.complete().length() - heldBefore);
            complete(Optional.of(accept.complete().header()), copy(NONE, 0, read), ended);
        } else if (verdict instanceof HeaderReception.PassOn) {
            complete(Optional.empty(), copy(held, heldBefore, read), ended);
        } else if (verdict instanceof HeaderReception.Refuse refusal) {
            refuse(refusal);
        } else if (heldLength >= decoder.maxHeaderLength()) {
            // The decoder decides within the maximum length; holding more would break the bound.
            internalError(new IllegalStateException("decoder needs more than the maximum header length of "
                    + decoder.maxHeaderLength() + " bytes"));
        } else if (ended) {
            refuse(reception.endOfInput(heldLength));
        }
    }

    /** The decoder's answer to all bytes so far; keeps them in {@link #held} while it needs more. */
    private DecodeResult decode(ByteBuffer read) {
        int max = decoder.maxHeaderLength();
        if (heldLength == 0) {
            // Usual case: the first read holds the whole header, decoded where it was read.
            int n = Math.min(read.remaining(), max);
            int limit = read.limit();
            read.limit(read.position() + n);
            DecodeResult result = decoder.decode(read);
            read.limit(limit);
            if (result instanceof DecodeResult.NeedMore) {
                hold(read, n);
            }
            return result;
        }
        hold(read, Math.min(read.remaining(), max - heldLength));
        return decoder.decode(held, 0, heldLength);
    }

    private void hold(ByteBuffer read, int n) {
        if (held.length < heldLength + n) {
            int max = decoder.maxHeaderLength();
            held = Arrays.copyOf(held, Math.min(max, Math.max(heldLength + n, Math.max(INITIAL_HELD, held.length * 2))));
        }
        read.get(read.position(), held, heldLength, n);
        heldLength += n;
    }

    /** {@code first} bytes of {@code earlier}, then {@code read} from its position: a buffer the caller owns. */
    private static ByteBuffer copy(byte[] earlier, int first, ByteBuffer read) {
        ByteBuffer rest = ByteBuffer.allocate(first + read.remaining());
        rest.put(earlier, 0, first).put(read).flip();
        return rest;
    }

    private void onDeadline() {
        deadline = null;
        if (state == State.WAITING) {
            refuse(reception.late(heldLength));
        }
    }

    private void complete(Optional<ProxyHeader> header, ByteBuffer rest, boolean inputEnded) {
        finish();
        done.received(reception.accept(remote, local, policy, header), rest, inputEnded);
    }

    private void refuse(HeaderReception.Refuse refusal) {
        finish();
        reception.refuse(refusal, remote, local);
        done.refused(policy == HeaderPolicy.REJECT ? SessionStatus.FORBIDDEN.code() : SessionStatus.BAD_REQUEST.code());
    }

    private void internalError(RuntimeException e) {
        finish();
        reception.internalError(remote, local, e);
        done.refused(SessionStatus.BAD_REQUEST.code());
    }

    private void finish() {
        state = State.DONE;
        cancelDeadline();
        held = NONE;
        heldLength = 0;
        // The interest stays as it is: the caller sets its own as it takes the socket over, within the same call,
        // and a session that goes on reading wants what this asked for, so no epoll_ctl is spent on the way.
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void loopClosing(RawSocket socket) {
        // As a channel closed by its loop's shutdown before its header was in: the input ended.
        if (state == State.WAITING) {
            refuse(reception.endOfInput(heldLength));
        }
    }
}
