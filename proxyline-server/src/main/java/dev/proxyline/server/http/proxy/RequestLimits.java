package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ErrorLog;
import dev.proxyline.server.http.limit.RateLimits;
import dev.proxyline.server.limit.SessionLimits;
import dev.proxyline.server.variables.SessionSnapshot;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * nginx's preaccess phase for the requests of one connection (or HTTP/2 stream): {@code limit_req} first, then
 * {@code limit_conn}, as nginx runs them. Holds what a request took ({@code limit_conn} counts, released when it
 * ends) and, while {@code limit_req} delays it, the wait and the body parts that arrived meanwhile. Made for the
 * first request of a location with limits, so connections that never meet one carry nothing.
 */
final class RequestLimits {
    /** {@code $limit_req_status} beyond the values it shares with {@code $limit_conn_status} ({@link SessionLimits}). */
    static final String DELAYED = "DELAYED";
    static final String DELAYED_DRY_RUN = "DELAYED_DRY_RUN";

    private SessionLimits.Check heldCounts; // null while the request holds none
    private Future<?> delay; // null unless the request waits
    private final ArrayDeque<HttpContent> parked = new ArrayDeque<>(2);

    /**
     * The location's {@code limit_req}s for the request: sets {@code $limit_req_status} and logs as nginx does.
     *
     * @return -1 if the request is refused, else how many milliseconds it waits (0: none)
     */
    long checkRate(RequestFacts facts, LocationPlan location, SessionSnapshot now) {
        LimitReqPlan plan = location.limitReq();
        String[] keys = new String[plan.keys().size()];
        for (int i = 0; i < keys.length; i++) keys[i] = plan.keys().get(i).render(now);
        RateLimits.Verdict verdict = plan.limits().check(keys);
        String dryRun = plan.dryRun() ? ", dry run" : "";
        switch (verdict.kind()) {
            case NOT_LIMITED:
                return 0;
            case PASSED:
                facts.limitReqStatus = SessionLimits.PASSED;
                return 0;
            case DELAYED:
                plan.log().log(LimitLog.delayLevel(plan.logLevel()), "delaying request" + dryRun + ", excess: "
                        + LimitLog.thousandths(verdict.excess()) + ", by zone \"" + zone(plan, verdict) + "\"", facts);
                facts.limitReqStatus = plan.dryRun() ? DELAYED_DRY_RUN : DELAYED;
                return plan.dryRun() ? 0 : verdict.delayMillis();
            case REJECTED:
                plan.log().log(plan.logLevel(), "limiting requests" + dryRun + ", excess: "
                        + LimitLog.thousandths(verdict.excess()) + " by zone \"" + zone(plan, verdict) + "\"", facts);
                break;
            default: // NO_ROOM
                plan.log().log(ErrorLog.Level.ERROR, "could not allocate node in limit_req zone \""
                        + zone(plan, verdict) + "\"", facts);
                break;
        }
        facts.limitReqStatus = plan.dryRun() ? SessionLimits.REJECTED_DRY_RUN : SessionLimits.REJECTED;
        return plan.dryRun() ? 0 : -1;
    }

    private static String zone(LimitReqPlan plan, RateLimits.Verdict verdict) {
        return plan.limits().limits().get(verdict.limit()).zone().name();
    }

    /**
     * The location's {@code limit_conn}s, checked as a stream server's ({@link SessionLimits#check}): the counts are
     * held until the request ends. Sets {@code $limit_conn_status} and logs a key at its cap as nginx does (a full
     * zone refuses without a line, as nginx's).
     *
     * @return false if the request is refused
     */
    boolean acquireCounts(RequestFacts facts, LocationPlan location, SessionSnapshot now) {
        LimitConnPlan plan = location.limitConn();
        SessionLimits.Check check = plan.limits().check(now);
        facts.limitConnStatus = check.status();
        if (check.limitedBy().isPresent()) {
            plan.log().log(plan.limits().options().logLevel(), plan.limits().limitingLine(check.limitedBy().get()),
                    facts);
        }
        heldCounts = check;
        return !check.refused();
    }

    /** The request is over: it no longer counts against {@code limit_conn}. */
    void releaseCounts() {
        if (heldCounts == null) return;
        heldCounts.release();
        heldCounts = null;
    }

    /** Runs {@code then} on the connection's event loop after {@code millis}; nothing is read meanwhile. */
    void delay(EventExecutor executor, long millis, Runnable then) {
        delay = executor.schedule(() -> {
            delay = null;
            then.run();
        }, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code then} on the connection's event loop once {@code pending} is done (at once if it is); nothing is
     * read meanwhile, and body parts that come are parked, as for a delay.
     */
    void await(Future<?> pending, Runnable then) {
        delay = pending;
        pending.addListener(done -> {
            if (delay != pending || done.isCancelled()) return; // the client went away
            delay = null;
            then.run();
        });
    }

    boolean delaying() {
        return delay != null;
    }

    /** Keeps a body part that came while the request waits; false when it does not wait. */
    boolean park(HttpContent content) {
        if (delay == null) return false;
        parked.add(content);
        return true;
    }

    /** The body parts that came while the request waited, in order; the caller owns them. */
    HttpContent nextParked() {
        return parked.poll();
    }

    /** The client went away: the wait ends without running its task, and the parked parts are freed. */
    void cancel() {
        if (delay != null) {
            delay.cancel(false);
            delay = null;
        }
        HttpContent content;
        while ((content = parked.poll()) != null) content.release();
    }
}
