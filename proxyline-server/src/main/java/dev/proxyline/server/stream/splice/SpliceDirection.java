package dev.proxyline.server.stream.splice;

import dev.proxyline.server.stream.RelayLoop;
import dev.proxyline.server.stream.RelayWait;
import java.io.IOException;

/**
 * One direction of a spliced relay, source socket → pipe → sink socket, as a state machine in plain
 * Java; the three kernel calls are behind {@link Ends}. Used on one event loop only.
 *
 * <p>The pipe is drained before the source is read again, and the source is read only into an empty
 * pipe. That is what makes a 0 from {@link Ends#fill} unambiguous: with room in the pipe it means
 * "nothing queued in the socket", which after a hang-up was seen is the end of the stream, and
 * before it is "no data yet". It also bounds a direction to one pipe of bytes in flight: while the
 * sink does not take them, the source is not read, and TCP flow control holds its peer back.
 */
final class SpliceDirection implements RelayLoop.Direction {

    /** The kernel operations of one direction. */
    interface Ends {
        /** Moves up to {@code max} bytes from the source socket into the empty pipe; 0 if none are queued. */
        int fill(int max) throws IOException;

        /** Moves up to {@code max} bytes from the pipe to the sink socket; 0 if the sink takes none now. */
        int drain(int max) throws IOException;

        /**
         * The source ended and every byte before its end was drained: sends FIN on the sink
         * ({@code shutdown(SHUT_WR)}), or nothing when the relay ends with this direction
         * ({@code proxy_half_close off}) and closing the sockets sends it.
         */
        void endSink() throws IOException;
    }

    /**
     * Bytes asked for per fill: Linux's default pipe capacity (16 pages), so one fill can take what an
     * empty pipe holds.
     */
    static final int PIPE_CAPACITY = 64 * 1024;

    private final Ends ends;
    private final int fillsPerPump;
    private long inPipe;
    /** Totals, kept as they happen: a pump that fails still counts what it moved before. */
    private long filled;
    private long drained;
    private boolean sourceHungUp;
    private RelayWait waiting = RelayWait.SOURCE;

    /**
     * @param fillsPerPump how many pipefuls one {@link #pump} moves at most before it yields the event
     *     loop to other connections ({@link RelayWait#MORE})
     */
    SpliceDirection(Ends ends, int fillsPerPump) {
        if (fillsPerPump < 1) {
            throw new IllegalArgumentException("fillsPerPump: " + fillsPerPump + " (expected at least 1)");
        }
        this.ends = ends;
        this.fillsPerPump = fillsPerPump;
    }

    /**
     * The source reported EPOLLRDHUP or EPOLLHUP: its peer sent FIN (or the socket is shut both ways),
     * so no byte arrives that is not already queued in the socket.
     */
    @Override
    public void sourceHungUp() {
        sourceHungUp = true;
    }

    /** The stream ended, and its FIN was passed on, before this direction took over. */
    void alreadyEnded() {
        sourceHungUp = true;
        waiting = RelayWait.FINISHED;
    }

    /** True once the source hung up: it needs no more readiness events, its queued bytes can be read at any time. */
    boolean hasSourceHungUp() {
        return sourceHungUp;
    }

    /** What this direction waits for since the last {@link #pump}. */
    @Override
    public RelayWait waiting() {
        return waiting;
    }

    /** Bytes taken from the source so far. */
    long filled() {
        return filled;
    }

    /** Bytes given to the sink so far. */
    long drained() {
        return drained;
    }

    /** Bytes taken from the source and not yet given to the sink. */
    long inPipe() {
        return inPipe;
    }

    /**
     * Moves what can be moved now: the pipe into the sink, then while the sink keeps up, the source
     * into the pipe, at most {@code fillsPerPump} times. A source at its end with an empty pipe ends
     * the sink.
     *
     * @return what the direction waits for now
     * @throws IOException from the kernel (a reset, a broken pipe); the direction is then unusable, and its
     *     totals include what it moved before the failure
     */
    RelayWait pump() throws IOException {
        int fills = 0;
        while (waiting != RelayWait.FINISHED) {
            while (inPipe > 0) {
                int n = ends.drain((int) Math.min(inPipe, Integer.MAX_VALUE));
                if (n == 0) {
                    return waiting = RelayWait.SINK;
                }
                inPipe -= n;
                drained += n;
            }
            if (fills == fillsPerPump) {
                waiting = RelayWait.MORE;
                break;
            }
            // The flag must be read before the fill: a hang-up reported after a fill that found nothing
            // may have come with bytes that fill did not see.
            boolean atEndIfEmpty = sourceHungUp;
            int n = ends.fill(PIPE_CAPACITY);
            fills++;
            if (n > 0) {
                inPipe += n;
                filled += n;
            } else if (atEndIfEmpty) {
                ends.endSink();
                waiting = RelayWait.FINISHED;
            } else {
                waiting = RelayWait.SOURCE;
                break;
            }
        }
        return waiting;
    }
}
