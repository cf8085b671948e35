package dev.proxyline.protocol.netty;

import io.netty.channel.ChannelPipeline;
import java.util.Objects;

/**
 * The PROXY stage of one listener: the settings, counters and log its connections share, and a
 * fresh {@link ProxyHeaderReceiver} for each connection.
 */
public final class ProxyReceiveStage {
    private final ProxyCounters counters;
    private final HeaderReception reception;

    /** With {@link OncePerSourceLog#standard()} for the diagnoses. */
    public ProxyReceiveStage(ReceiveSettings settings, ProxyCounters counters, RejectionLog log) {
        this(settings, counters, log, OncePerSourceLog.standard());
    }

    /**
     * @param log       refusals, rate-limited
     * @param diagnoses the misconfiguration behind an HTTP request or a TLS ClientHello where the
     *                  header belongs (no balancer in front, or one not sending the header), once per source
     */
    public ProxyReceiveStage(ReceiveSettings settings, ProxyCounters counters, RejectionLog log,
            OncePerSourceLog diagnoses) {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.reception = new HeaderReception(settings, counters, log, diagnoses);
    }

    /** A handler for one new connection, followed by stages already in the pipeline. */
    public ProxyHeaderReceiver newHandler() {
        return newHandler(NextStage.IN_PIPELINE);
    }

    /** A handler for one new connection that installs {@code next} once the header is in. */
    public ProxyHeaderReceiver newHandler(NextStage next) {
        return new ProxyHeaderReceiver(this, next);
    }

    /** Puts a new handler first in {@code pipeline}, as {@link HandlerNames#PROXY_RECEIVE}. */
    public void addFirst(ChannelPipeline pipeline) {
        addFirst(pipeline, NextStage.IN_PIPELINE);
    }

    /**
     * Puts a new handler first in {@code pipeline}, as {@link HandlerNames#PROXY_RECEIVE}, that installs
     * {@code next} once the header is in.
     */
    public void addFirst(ChannelPipeline pipeline, NextStage next) {
        pipeline.addFirst(HandlerNames.PROXY_RECEIVE, newHandler(next));
    }

    public ReceiveSettings settings() {
        return reception.settings();
    }

    public ProxyCounters counters() {
        return counters;
    }

    /** What this listener makes of a connection's first bytes, and how it counts and logs the outcome. */
    public HeaderReception reception() {
        return reception;
    }
}
