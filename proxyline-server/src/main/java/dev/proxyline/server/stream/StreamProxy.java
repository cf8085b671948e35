package dev.proxyline.server.stream;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Clock;
import java.util.Objects;

/**
 * The L4 proxy for one {@code server} block of the {@code stream} context: takes an accepted client
 * channel, connects an upstream through the {@link UpstreamConnector}, writes the
 * {@link UpstreamPreface} (a PROXY header, say) and relays bytes both ways until both sides are done.
 *
 * <p>The relay keeps both channels on one event loop, reads with autoRead off and only while the
 * other side is below its high watermark, so a slow reader holds at most
 * {@code bufferSize + waterMark.high} bytes per direction. A FIN from either side is passed on as
 * {@code shutdownOutput} on the other once everything before it was written; the session closes when
 * both directions are finished, on the first error, or after {@code proxy_timeout} without traffic.
 *
 * <p>Staging: earlier stages (a PROXY receive handler, access rules) may run in the client's pipeline
 * before {@link #handle}. Bytes they pass on with {@code fireChannelRead} after the hand-over are
 * relayed first. Handlers left in either pipeline see every relayed byte.
 */
public final class StreamProxy {

    private final RelayOptions options;
    private final UpstreamConnector connector;
    private final UpstreamPreface preface;
    private final Clock clock;

    /**
     * @param options buffer size, watermarks, idle timeout, splice
     * @param connector picks and connects the upstream (retries included)
     * @param preface writes bytes the upstream must see first; {@link UpstreamPreface#NONE} for none
     * @param clock the source of session start times and durations
     */
    public StreamProxy(RelayOptions options, UpstreamConnector connector, UpstreamPreface preface, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.preface = Objects.requireNonNull(preface, "preface");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes over an accepted, registered client channel. From here on the relay owns the channel's
     * reading and closing; callers should not read from or close it themselves.
     *
     * @return completes with the outcome once both connections are closed; never fails
     */
    public Future<SessionOutcome> handle(Channel client) {
        Objects.requireNonNull(client, "client");
        Promise<SessionOutcome> result = client.eventLoop().newPromise();
        RelaySession session = new RelaySession(client, options, clock, result);
        if (client.eventLoop().inEventLoop()) {
            session.begin(connector, preface);
        } else {
            client.eventLoop().execute(() -> session.begin(connector, preface));
        }
        return result;
    }
}
