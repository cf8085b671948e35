package dev.proxyline.server.app;

import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import dev.proxyline.server.stream.SessionEnd;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.stream.SessionStatus;
import dev.proxyline.server.stream.StreamProxy;
import dev.proxyline.server.stream.UpstreamPreface;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * One stream {@code server} at run time: hands accepted connections to its {@link StreamProxy} and,
 * when a session ends, writes its access log line and says why it failed, if it did.
 */
final class StreamService {
    private static final System.Logger LOG = System.getLogger(StreamService.class.getName());

    private final StreamProxy proxy;
    private final SessionLog accessLog;
    private final RejectionLog failures;

    /**
     * @param proxy     the relay, with this server's connector and preface
     * @param accessLog this server's access logs ({@link SessionLog#off()} for none)
     * @param failures  where failed sessions are reported, one rate-limited line each
     */
    StreamService(StreamProxy proxy, SessionLog accessLog, RejectionLog failures) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.failures = Objects.requireNonNull(failures, "failures");
    }

    /**
     * The preface of {@code proxy_protocol on}: the header for the session as it stands when the
     * upstream is connected, so it announces the client the PROXY stage trusted (a chain of balancers
     * keeps the first client) and renders TLV variables for this session.
     */
    static UpstreamPreface preface(Optional<ProxyHeaderBuilder> send) {
        if (send.isEmpty()) {
            return UpstreamPreface.NONE;
        }
        ProxyHeaderBuilder builder = send.get();
        return (client, upstream) -> Unpooled.wrappedBuffer(
                ProxyHeaderEncoder.encode(builder.headerFor(SessionContext.of(client).now())));
    }

    /** Sets up a just accepted {@code client} for the relay, before any stage reads from it. */
    void prepare(Channel client) {
        proxy.prepare(client);
    }

    /** Takes over {@code client} once earlier stages (the PROXY header) are done. On its event loop. */
    void start(Channel client) {
        SessionContext context = SessionContext.of(client);
        context.proxyStageDone(client);
        proxy.handle(client).addListener(f -> finished(context, (SessionOutcome) f.getNow()));
    }

    /**
     * Logs a connection that an earlier stage closed before the relay took over: the PROXY stage
     * refused its source (403) or its header (400: invalid, missing, late); the stage itself has
     * already said why, rate-limited.
     */
    void refusedBeforeRelay(SessionContext context, int status) {
        accessLog.log(context.refused(status));
    }

    private void finished(SessionContext context, SessionOutcome outcome) {
        if (outcome == null) {
            return; // handle() never fails; a null means the event loop is shutting down
        }
        if (outcome.status() != SessionStatus.OK) {
            // The relay prefixes the connector's failure with its side and type; the message says it all.
            String why = outcome.error().map(e -> e.replaceFirst("^session: UpstreamUnavailableException: ", ""))
                    .orElse(outcome.end().toString());
            failures.refused("stream session from " + Addresses.format(outcome.client()) + " closed with $status "
                    + outcome.status().code() + ": " + why);
        } else if (outcome.end() == SessionEnd.IO_ERROR && outcome.error().isPresent() && LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "stream session from " + Addresses.format(outcome.client()) + ": "
                    + outcome.error().get());
        }
        // Skipped rather than logged distinctly: nginx's access_log has no way to tell a check apart
        // either, and every balancer probes every few hundred milliseconds, which would bury the
        // clients. A failed check still reaches the failure log above.
        if (!accessLog.isOff() && !context.healthCheck(outcome)) {
            accessLog.log(context.finished(outcome));
        }
    }
}
