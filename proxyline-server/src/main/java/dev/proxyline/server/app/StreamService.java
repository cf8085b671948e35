package dev.proxyline.server.app;

import dev.proxyline.config.AccessRules;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.realip.AddressText;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import dev.proxyline.server.stream.SessionEnd;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.stream.SessionStatus;
import dev.proxyline.server.stream.UpstreamPreface;
import io.netty.buffer.Unpooled;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * One stream {@code server} at run time, whichever path runs its sessions (channels, {@link ConnectionInitializer};
 * raw descriptors, {@link RawStreamFront}): when a session ends, writes its access log line and says why it
 * failed, if it did.
 */
final class StreamService {
    private static final System.Logger LOG = System.getLogger(StreamService.class.getName());

    private final SessionLog accessLog;
    private final RejectionLog failures;
    private final AccessRules access;

    /**
     * @param accessLog this server's access logs ({@link SessionLog#off()} for none)
     * @param failures  where failed sessions are reported, one rate-limited line each
     * @param access    this server's {@code allow} and {@code deny}
     */
    StreamService(SessionLog accessLog, RejectionLog failures, AccessRules access) {
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.access = Objects.requireNonNull(access, "access");
    }

    /**
     * Whether {@code allow}/{@code deny} let the session's client in, judged once the PROXY stage is done (the client
     * it trusted, as nginx's realip module hands it to the access module). A refused session is reported here and
     * logged with {@code $status} 403 (the caller closes it).
     */
    boolean admits(SessionContext context) {
        if (access.isEmpty() || access.admits(context.client())) {
            return true;
        }
        failures.refused("access forbidden by rule, client: " + AddressText.addr(context.client()) + ", server: "
                + Addresses.format(context.local()));
        accessLog.log(context.refused(SessionStatus.FORBIDDEN.code()));
        return false;
    }

    /**
     * The preface of {@code proxy_protocol on} on the channel path: the header for the session as it stands
     * when the upstream is connected ({@link #prefaceBytes}).
     */
    static UpstreamPreface preface(Optional<ProxyHeaderBuilder> send) {
        if (send.isEmpty()) {
            return UpstreamPreface.NONE;
        }
        ProxyHeaderBuilder builder = send.get();
        return (client, upstream) -> Unpooled.wrappedBuffer(prefaceBytes(builder, SessionContext.of(client)));
    }

    /**
     * The header {@code proxy_protocol on} sends for {@code session} as it stands now, at connect time, so it
     * announces the client the PROXY stage trusted (a chain of balancers keeps the first client) and renders
     * TLV variables for this session.
     */
    static byte[] prefaceBytes(ProxyHeaderBuilder builder, SessionContext session) {
        return ProxyHeaderEncoder.encode(builder.headerFor(session.now()));
    }

    /**
     * Logs a connection that an earlier stage closed before the relay took over: the PROXY stage
     * refused its source (403) or its header (400: invalid, missing, late); the stage itself has
     * already said why, rate-limited.
     */
    void refusedBeforeRelay(SessionContext context, int status) {
        accessLog.log(context.refused(status));
    }

    /** Logs a session that ended: its failure line, if it failed, and its access log line. */
    void finished(SessionContext context, SessionOutcome outcome) {
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
