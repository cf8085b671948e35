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
 * The client is read while the upstream connects (a buffer's worth at most), so the preface usually
 * leaves in one write with the client's first bytes.
 *
 * <p>The relay keeps both channels on one event loop, reads only while the other side is below its
 * high watermark (autoRead switched at the watermarks), so a slow reader holds at most
 * {@code bufferSize + waterMark.high} bytes per direction (one pipe, 64 KiB, once spliced). A FIN from
 * either side waits until everything read before it was written to the other side. Then, with
 * {@code proxy_half_close off}, the default as in nginx, the session ends and both connections close:
 * nginx configurations keep nginx's behaviour, and a short connection costs one close per socket
 * instead of a shutdown and a wait for the other side's FIN. With {@code proxy_half_close on} the FIN
 * is passed on as {@code shutdown(SHUT_WR)} and the session closes once both directions are finished.
 * A session also closes on the first error, or after {@code proxy_timeout} without traffic.
 *
 * <p>Staging: earlier stages (a PROXY receive handler, access rules) may run in the client's pipeline
 * before {@link #handle}. Bytes they pass on with {@code fireChannelRead} after the hand-over are
 * relayed first. Handlers left in either pipeline see every relayed byte.
 *
 * <p>Zero-copy splice(2) ({@code proxy_splice on}, the default): on the epoll transport, the first
 * time a read fills the whole {@code proxy_buffer_size} buffer (HAProxy's {@code splice-auto} rule;
 * short exchanges stay buffered, as a switch costs two {@code pipe2}, four {@code close} and a few
 * {@code epoll_ctl}), and only when no handler but the relay's is left in either pipeline (TLS, or any
 * stage that must see the bytes, keeps it buffered) and the relay (with its preface) has started, the
 * session stops reading, waits until both channels have written what they queued, deregisters them
 * from the event loop and registers their sockets with the same loop as a
 * {@link dev.proxyline.server.stream.splice.SplicedRelay}, which moves bytes through one pipe per
 * direction. It reads a source only into an empty pipe, so a 0 from splice after EPOLLRDHUP is the
 * end of the stream and the FIN is passed on after the last byte; a full sink stops reading its source
 * (at most one pipe, 64 KiB, in flight per direction). Byte counts, the {@code proxy_timeout} clock
 * and the outcome are kept as in the buffered relay ({@link SessionOutcome#spliced()} tells which ran);
 * the channels are closed through Netty at the end. Netty's own {@code spliceTo} is not used: in
 * 4.2.18 it announces the input shutdown at EPOLLRDHUP while bytes are still queued in the socket,
 * its splice wrapper returns 0 for both EAGAIN and end of stream so no event tells that the last
 * byte went through (16 MiB then FIN arrived as 14.7 to 15.8 MiB on loopback), and it writes past
 * the pipeline, so counters and the idle clock would not see the bytes.
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
     * @param preface the bytes the upstream must see first; {@link UpstreamPreface#NONE} for none
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
