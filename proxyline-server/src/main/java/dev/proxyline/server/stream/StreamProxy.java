package dev.proxyline.server.stream;

import io.netty.channel.Channel;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Clock;
import java.util.Objects;

/**
 * The L4 proxy for one {@code server} block of the {@code stream} context: takes an accepted client
 * channel, connects an upstream through the {@link UpstreamConnector}, writes the
 * {@link UpstreamPreface} (a PROXY header, say) and relays bytes both ways until both sides are done.
 *
 * <p>The relay keeps both channels on one event loop, reads only while the other side is below its
 * high watermark (autoRead switched at the watermarks), so a slow reader holds at most
 * {@code bufferSize + waterMark.high} bytes per direction. A FIN from either side is passed on as
 * {@code shutdownOutput} on the other once everything before it was written; the session closes when
 * both directions are finished, on the first error, or after {@code proxy_timeout} without traffic.
 *
 * <p>Staging: earlier stages (a PROXY receive handler, access rules) may run in the client's pipeline
 * before {@link #handle}. Bytes they pass on with {@code fireChannelRead} after the hand-over are
 * relayed first. Handlers left in either pipeline see every relayed byte.
 *
 * <p>No zero-copy splice(2): Netty 4.2.18's {@code AbstractEpollStreamChannel.spliceTo} cannot end a
 * stream byte-exactly. In {@code EpollStreamUnsafe.epollInReady} the splice task moves at most one
 * batch ({@code min(allocHandle.guess(), len)} bytes, and at most what the pipe holds), and as soon
 * as the handle has seen EPOLLRDHUP it calls {@code shutdownInput(false)}, which fires
 * {@code ChannelInputShutdownEvent} while later bytes are still in the socket's receive queue.
 * {@code Native.splice} maps EAGAIN to 0, the same value as end of stream, so the splice path never
 * observes the end and never fires {@code ChannelInputShutdownReadComplete} (only the buffered read
 * path does): no event says the last byte was spliced. Propagating the FIN at the input-shutdown
 * event therefore loses the tail (measured on loopback: 16 MiB then FIN arrived upstream as 14.7 to
 * 15.8 MiB; 64 KiB as 34 KiB). Splice also bypasses the pipeline ({@code SpliceOutTask} is written
 * with {@code unsafe().write}), so neither the byte counters nor the {@code proxy_timeout} activity
 * clock would see traffic. The buffered path uses pooled direct buffers and one copy each way.
 *
 * <p>Half-close on epoll relies on the transport's workaround for a Netty 4.2.18 defect that made
 * writes to a socket whose input was shut down fail with ENOENT (see
 * {@code dev.proxyline.server.transport.EpollInterestKeeper}).
 */
public final class StreamProxy {

    private final RelayOptions options;
    private final RecvByteBufAllocator reads;
    private final UpstreamConnector connector;
    private final UpstreamPreface preface;
    private final Clock clock;

    /**
     * @param options buffer size, watermarks, idle timeout
     * @param connector picks and connects the upstream (retries included)
     * @param preface writes bytes the upstream must see first; {@link UpstreamPreface#NONE} for none
     * @param clock the source of session start times and durations
     */
    public StreamProxy(RelayOptions options, UpstreamConnector connector, UpstreamPreface preface, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.reads = options.readAllocator();
        this.connector = Objects.requireNonNull(connector, "connector");
        this.preface = Objects.requireNonNull(preface, "preface");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Gives a just accepted channel the relay's read size before anything reads from it. A channel
     * keeps the read allocator it first read with, so without this a PROXY header stage in front
     * would fix Netty's default sizes for the whole session and {@code proxy_buffer_size} would be
     * ignored. Call from the channel's initializer.
     */
    public void prepare(Channel accepted) {
        accepted.config().setRecvByteBufAllocator(reads);
    }

    /**
     * Takes over an accepted, registered client channel. From here on the relay owns the channel's
     * reading and closing; callers should not read from or close it themselves.
     *
     * @return completes with the outcome once both connections are closed; never fails
     */
    public Future<SessionOutcome> handle(Channel client) {
        Objects.requireNonNull(client, "client");
        return start(client, connector);
    }

    /**
     * Ends a session without connecting anything, for stages in front of the relay that refuse a
     * client (a malformed PROXY header is 400, an access rule 403, a connection limit 503), so that
     * refused sessions are logged with the same outcome record as relayed ones. Closes the client.
     *
     * @param status not {@link SessionStatus#OK}
     * @param reason what happened, reported as {@link SessionOutcome#error()}
     */
    public Future<SessionOutcome> reject(Channel client, SessionStatus status, String reason) {
        Objects.requireNonNull(client, "client");
        SessionRejectedException rejection = new SessionRejectedException(status, reason);
        return start(client, c -> c.eventLoop().newFailedFuture(rejection));
    }

    private Future<SessionOutcome> start(Channel client, UpstreamConnector how) {
        Promise<SessionOutcome> result = client.eventLoop().newPromise();
        RelaySession session = new RelaySession(client, options, reads, clock, result);
        if (client.eventLoop().inEventLoop()) {
            session.begin(how, preface);
        } else {
            client.eventLoop().execute(() -> session.begin(how, preface));
        }
        return result;
    }
}
