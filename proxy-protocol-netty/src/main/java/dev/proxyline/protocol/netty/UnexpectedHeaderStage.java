package dev.proxyline.protocol.netty;

import io.netty.channel.ChannelPipeline;
import java.util.Objects;
import java.util.Optional;

/**
 * The self-diagnosis stage of one listener WITHOUT {@code proxy_protocol}: recognises a PROXY header
 * that a balancer sends by mistake, answers it as nginx would (a plain HTTP listener: {@code 400 Bad
 * Request} and close; a TLS listener: close), counts it and logs once per source what to change.
 * Every other connection goes on untouched. Shared by the connections of the listener; each gets a
 * fresh {@link UnexpectedHeaderHandler}.
 */
public final class UnexpectedHeaderStage {
    /** What nginx says to a PROXY header; the log line says what to change. */
    static final String DIAGNOSIS = "received a PROXY protocol header on a listener without proxy_protocol;"
            + " add `proxy_protocol` to `listen` (or turn it off at the balancer)";

    private final Optional<BadRequestPage> page;
    private final UnexpectedHeaderCounters counters;
    private final OncePerSourceLog log;

    private UnexpectedHeaderStage(Optional<BadRequestPage> page, UnexpectedHeaderCounters counters,
            OncePerSourceLog log) {
        this.page = page;
        this.counters = Objects.requireNonNull(counters, "counters");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** For a plain HTTP listener: a header gets {@code page} in answer, then the connection closes. */
    public static UnexpectedHeaderStage forHttp(BadRequestPage page, UnexpectedHeaderCounters counters,
            OncePerSourceLog log) {
        return new UnexpectedHeaderStage(Optional.of(Objects.requireNonNull(page, "page")), counters, log);
    }

    /** For a TLS listener, where the bytes would reach a handshake: a header closes the connection. */
    public static UnexpectedHeaderStage forTls(UnexpectedHeaderCounters counters, OncePerSourceLog log) {
        return new UnexpectedHeaderStage(Optional.empty(), counters, log);
    }

    /** A handler for one new connection. */
    public UnexpectedHeaderHandler newHandler() {
        return new UnexpectedHeaderHandler(this);
    }

    /** Puts a new handler first in {@code pipeline}, as {@link HandlerNames#UNEXPECTED_PROXY_HEADER}. */
    public void addFirst(ChannelPipeline pipeline) {
        pipeline.addFirst(HandlerNames.UNEXPECTED_PROXY_HEADER, newHandler());
    }

    public UnexpectedHeaderCounters counters() {
        return counters;
    }

    Optional<BadRequestPage> page() {
        return page;
    }

    OncePerSourceLog log() {
        return log;
    }
}
