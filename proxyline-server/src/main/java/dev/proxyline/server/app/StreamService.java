package dev.proxyline.server.app;

import dev.proxyline.config.AccessRules;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.realip.AddressText;
import dev.proxyline.server.limit.LimitLines;
import dev.proxyline.server.limit.SessionLimits;
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
    private final SessionLimits limits;
    private final LimitLines limitLines;

    /**
     * @param accessLog  this server's access logs ({@link SessionLog#off()} for none)
     * @param failures   where failed sessions are reported, one rate-limited line each
     * @param access     this server's {@code allow} and {@code deny}
     * @param limits     this server's {@code limit_conn}s ({@link SessionLimits#none()} for none)
     * @param limitLines where {@code limit_conn} says which session it limited, rate-limited
     */
    StreamService(SessionLog accessLog, RejectionLog failures, AccessRules access, SessionLimits limits,
                  LimitLines limitLines) {
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.access = Objects.requireNonNull(access, "access");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.limitLines = Objects.requireNonNull(limitLines, "limitLines");
    }

    /**
     * Whether the session may go on to its upstream, judged once the PROXY stage is done (on the client it trusted,
     * as nginx's realip module hands it on): first {@code limit_conn} (nginx's preaccess phase), then
     * {@code allow}/{@code deny} (its access phase). A refused session is reported here and logged with
     * {@code $status} 503 or 403 (the caller closes it); one let in holds its {@code limit_conn} counts until
     * {@link #finished}.
     */
    boolean admits(SessionContext context) {
        if (!limits.isEmpty() && !withinLimits(context)) {
            return false;
        }
        if (access.isEmpty() || access.admits(context.client())) {
            return true;
        }
        context.releaseLimits();
        failures.refused("access forbidden by rule, client: " + AddressText.addr(context.client()) + ", server: "
                + Addresses.format(context.local()));
        accessLog.log(context.refused(SessionStatus.FORBIDDEN.code()));
        return false;
    }

    private boolean withinLimits(SessionContext context) {
        SessionLimits.Check check = limits.check(context.now());
        context.limited(check);
        if (check.limitedBy().isPresent()) {
            limitLines.log(limits.options().logLevel(), limits.limitingLine(check.limitedBy().get())
                    + ", client: " + AddressText.addr(context.client()) + ", server: "
                    + Addresses.format(context.local()));
        }
        if (!check.refused()) {
            return true;
        }
        accessLog.log(context.refused(SessionStatus.SERVICE_UNAVAILABLE.code()));
        return false;
    }

    /** A session that the relay took over ended without an outcome (its event loop stopped): its counts go back. */
    void abandoned(SessionContext context) {
        context.releaseLimits();
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

    /**
     * Logs a session that {@code ssl_preread} ended before it had an upstream, as nginx's preread phase ends it:
     * 400 when {@code preread_buffer_size} filled up without a complete hello (nginx logs "preread buffer full"),
     * 200 when the client closed or {@code preread_timeout} passed first. Its {@code limit_conn} counts go back.
     */
    void prereadEnded(SessionContext context, int status, String why) {
        context.releaseLimits();
        if (status != SessionStatus.OK.code()) {
            failures.refused(why + ", client: " + AddressText.addr(context.client()) + ", server: "
                    + Addresses.format(context.local()));
        }
        accessLog.log(context.refused(status));
    }

    /**
     * Logs a session that its {@code listen ... ssl} ended before it had an upstream, with {@code $status} 500 as
     * nginx's stream ssl module ends it: the handshake failed or timed out, or {@code ssl_verify_client} refused the
     * certificate. {@code why} is nginx's wording, if nginx logs the failure; the client and the server are added.
     * Its {@code limit_conn} counts go back.
     */
    void tlsEnded(SessionContext context, Optional<String> why) {
        context.releaseLimits();
        if (why.isPresent()) {
            failures.refused(why.get() + ", client: " + AddressText.addr(context.client()) + ", server: "
                    + Addresses.format(context.local()));
        }
        accessLog.log(context.refused(SessionStatus.INTERNAL_SERVER_ERROR.code()));
    }

    /** Logs a session that ended: its failure line, if it failed, and its access log line. */
    void finished(SessionContext context, SessionOutcome outcome) {
        context.releaseLimits();
        if (outcome.status() != SessionStatus.OK) {
            // The relay prefixes the connector's failure with its side and type; the message says it all.
            String why = outcome.error().map(e -> e.replaceFirst(
                    "^session: (UpstreamUnavailableException|SessionRejectedException|UnroutableSessionException): ", ""))
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
